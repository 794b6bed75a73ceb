/**
 * Counts as bars drawn with Observable Plot: over time (vertical bars per day, stacked by a
 * category such as the run status) or per category (horizontal bars, labels readable). Categories
 * are named in the legend and in each bar's tooltip, with their totals, so colour is never the
 * only cue.
 */
import * as Plot from '@observablehq/plot';
import { PlotHost } from './plot-host.tsx';

export interface Count {
  readonly x: string;
  readonly category: string;
  readonly count: number;
}

/** Colours by meaning (good/attention/stopped/neutral). */
const TONE_COLOURS: Readonly<Record<string, string>> = { good: '#1a7f37', warn: '#b35900', bad: '#c0262d', neutral: '#6e7781' };

const colourOf = (toneOf: (category: string) => string) => (category: string) => TONE_COLOURS[toneOf(category)] ?? '#6e7781';

/** Whole-number ticks only, at most five. */
const integerTicks = (max: number) => ({ ticks: Math.max(1, Math.min(5, max)), tickFormat: (d: number) => (Number.isInteger(d) ? String(d) : '') });

function Legend({ counts, categories, colour }: { counts: readonly Count[]; categories: readonly string[]; colour: (c: string) => string }) {
  const totals = new Map<string, number>();
  for (const c of counts) totals.set(c.category, (totals.get(c.category) ?? 0) + c.count);
  return (
    <ul class="legend">
      {categories.map((c) => (
        <li key={c}>
          <svg width="12" height="12" aria-hidden="true">
            <rect width="12" height="12" fill={colour(c)} />
          </svg>
          {c}: {totals.get(c) ?? 0}
        </li>
      ))}
    </ul>
  );
}

/** Counts per day (or any ordered x), stacked by category. */
export function TimeCountChart({
  counts,
  days,
  label,
  categories,
  toneOf,
}: {
  counts: readonly Count[];
  days: readonly string[];
  label: string;
  categories: readonly string[];
  toneOf: (category: string) => string;
}) {
  const colour = colourOf(toneOf);
  const perDay = new Map<string, number>();
  for (const c of counts) perDay.set(c.x, (perDay.get(c.x) ?? 0) + c.count);
  const max = Math.max(1, ...perDay.values());
  const draw = (width: number) =>
    Plot.plot({
      width,
      height: 240,
      marginBottom: 48,
      style: { fontSize: '12px', background: 'transparent' },
      x: { type: 'band', domain: [...days], label: 'Day (UTC)', tickFormat: (d: string) => d.slice(5), tickRotate: -30 },
      y: { label: 'Runs', grid: true, domain: [0, max], ...integerTicks(max) },
      color: { domain: [...categories], range: categories.map(colour) },
      marks: [Plot.barY(counts, Plot.stackY({ x: 'x', y: 'count', fill: 'category', order: [...categories], title: (d: Count) => `${d.x} · ${d.category}: ${d.count}` })), Plot.ruleY([0])],
    });
  return (
    <figure class="count-chart">
      <PlotHost draw={draw} deps={[counts, days]} label={label} />
      <figcaption>
        <Legend counts={counts} categories={categories} colour={colour} />
      </figcaption>
    </figure>
  );
}

/** One horizontal bar per category, in the given order, with its count written at its end. */
export function CategoryCountChart({ counts, label, toneOf }: { counts: readonly Count[]; label: string; toneOf: (category: string) => string }) {
  const colour = colourOf(toneOf);
  const max = Math.max(1, ...counts.map((c) => c.count));
  const draw = (width: number) =>
    Plot.plot({
      width,
      height: 36 + counts.length * 26,
      marginLeft: 190,
      marginRight: 40,
      style: { fontSize: '12px', background: 'transparent' },
      y: { type: 'band', domain: counts.map((c) => c.x), label: null },
      x: { label: 'Count', grid: true, domain: [0, max], axis: 'top', ...integerTicks(max) },
      marks: [
        Plot.barX(counts, { y: 'x', x: 'count', fill: (d: Count) => colour(d.category), title: (d: Count) => `${d.x}: ${d.count}` }),
        Plot.text(counts, { y: 'x', x: 'count', text: (d: Count) => String(d.count), dx: 6, textAnchor: 'start' }),
        Plot.ruleX([0]),
      ],
    });
  return (
    <figure class="count-chart">
      <PlotHost draw={draw} deps={[counts]} label={label} />
    </figure>
  );
}
