/**
 * Counts as bars, optionally stacked by a category (runs per day by status), drawn with
 * Observable Plot; categories are named in the legend and on each bar's tooltip, and the
 * numbers are also listed in a table.
 */
import * as Plot from '@observablehq/plot';
import { PlotHost } from './plot-host.tsx';

export interface Count {
  readonly x: string;
  readonly category: string;
  readonly count: number;
}

/** Colours by meaning (good/attention/stopped/neutral), in a colour-blind-safe palette. */
const TONE_COLOURS: Readonly<Record<string, string>> = { good: '#1a7f37', warn: '#b35900', bad: '#c0262d', neutral: '#6e7781' };

export function CountChart({
  counts,
  label,
  xLabel,
  categories,
  toneOf,
  width = 560,
}: {
  counts: readonly Count[];
  label: string;
  xLabel: string;
  categories: readonly string[];
  toneOf: (category: string) => string;
  width?: number;
}) {
  const draw = () =>
    Plot.plot({
      width,
      height: 240,
      marginBottom: 48,
      style: { fontSize: '12px', background: 'transparent' },
      x: { label: xLabel, tickRotate: counts.length > 8 ? -30 : 0 },
      y: { label: 'Count', grid: true, tickFormat: (d: number) => (Number.isInteger(d) ? String(d) : '') },
      color: { domain: [...categories], range: categories.map((c) => TONE_COLOURS[toneOf(c)] ?? TONE_COLOURS['neutral']), legend: false },
      marks: [
        Plot.barY(counts, Plot.stackY({ x: 'x', y: 'count', fill: 'category', order: [...categories], title: (d: Count) => `${d.x} · ${d.category}: ${d.count}` })),
        Plot.ruleY([0]),
      ],
    });
  const totals = new Map<string, number>();
  for (const c of counts) totals.set(c.category, (totals.get(c.category) ?? 0) + c.count);
  return (
    <figure class="count-chart">
      <PlotHost draw={draw} deps={[counts, width]} label={label} />
      <figcaption>
        <ul class="legend">
          {categories.map((c) => (
            <li key={c}>
              <svg width="12" height="12" aria-hidden="true">
                <rect width="12" height="12" fill={TONE_COLOURS[toneOf(c)] ?? TONE_COLOURS['neutral']} />
              </svg>
              {c}: {totals.get(c) ?? 0}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
