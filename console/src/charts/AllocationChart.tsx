/**
 * Before / target / after weights, one row per instrument or asset class, drawn with Observable
 * Plot. Each row holds three thin bars in a fixed order (before on top, target in the middle,
 * after at the bottom) and in light, medium and dark tones, so the series read without colour;
 * every bar has a tooltip,
 * and the numbers are also in a table below the chart.
 */
import * as Plot from '@observablehq/plot';
import { SERIES, SERIES_LABEL, value, type AllocationRow, type Series } from '../lib/allocation.ts';
import { formatWeight } from '../lib/format.ts';
import { PlotHost } from './plot-host.tsx';

const STYLE: Readonly<Record<Series, { fill: string; stroke: string }>> = {
  before: { fill: '#9cc3e6', stroke: '#4a7fb0' },
  target: { fill: '#e69f00', stroke: '#7a4f00' },
  after: { fill: '#0b4f8a', stroke: '#0b4f8a' },
};

const MARGIN = { top: 44, right: 24, bottom: 8, left: 150 };

/** Rows get thinner as they get more numerous, so a 1,000-instrument chart stays scrollable. */
const rowHeightFor = (rows: number) => (rows > 40 ? 15 : rows > 10 ? 24 : 36);

function draw(rows: readonly AllocationRow[], width: number): Element {
  const rowHeight = rowHeightFor(rows.length);
  const height = MARGIN.top + MARGIN.bottom + rows.length * rowHeight;
  const padding = 0.2;
  // Band geometry of Plot's band scale, so each series gets a third of its row.
  const step = (height - MARGIN.top - MARGIN.bottom) / (rows.length - padding + 2 * padding);
  const third = (step * (1 - padding)) / 3;
  const max = Math.max(0.0001, ...rows.flatMap((r) => SERIES.map((s) => value(r[s])))) * 1.02;
  const marks = SERIES.map((series, i) =>
    Plot.barX(rows, {
      x: (r: AllocationRow) => value(r[series]),
      y: 'key',
      fill: STYLE[series].fill,
      stroke: STYLE[series].stroke,
      strokeWidth: 1,
      insetTop: i * third,
      insetBottom: (2 - i) * third,
      title: (r: AllocationRow) => `${r.key} — ${SERIES_LABEL[series]}: ${formatWeight(r[series])}`,
      className: `bar-${series}`,
    }),
  );
  return Plot.plot({
    width,
    height,
    marginTop: MARGIN.top,
    marginRight: MARGIN.right,
    marginBottom: MARGIN.bottom,
    marginLeft: MARGIN.left,
    style: { fontSize: '12px', background: 'transparent' },
    x: { domain: [0, max], tickFormat: max < 0.1 ? '.1%' : '.0%', label: 'Weight', axis: 'top', grid: true },
    y: { domain: rows.map((r) => r.key), padding, label: null, tickSize: 0 },
    marks: [...marks, Plot.ruleX([0])],
  });
}

export function AllocationLegend() {
  return (
    <ul class="legend" aria-label="Chart legend">
      {SERIES.map((s, i) => (
        <li key={s}>
          <svg width="28" height="12" aria-hidden="true">
            <rect x="1" y="1" width="26" height="10" fill={STYLE[s].fill} stroke={STYLE[s].stroke} />
          </svg>
          {SERIES_LABEL[s]} <span class="muted">({['top', 'middle', 'bottom'][i]} bar of each row)</span>
        </li>
      ))}
    </ul>
  );
}

export function AllocationChart({ rows, label }: { rows: readonly AllocationRow[]; label: string }) {
  return (
    <div class="allocation-chart">
      <AllocationLegend />
      <div class="chart-scroll" tabIndex={0} aria-label={`${label} (scrollable)`}>
        <PlotHost draw={(width) => draw(rows, width - 2)} deps={[rows]} label={`${label}: ${rows.length} rows, before, target and after weights`} testId="allocation-chart" />
      </div>
      <details class="numbers">
        <summary>Show the numbers</summary>
        <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
          <table class="data">
            <caption class="visually-hidden">{label}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                {SERIES.map((s) => (
                  <th scope="col" class="num" key={s}>
                    {SERIES_LABEL[s]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.key}</th>
                  {SERIES.map((s) => (
                    <td class="num" key={s}>
                      {r[s] ?? '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
