/**
 * Field-level differences between two JSON values, for reproduce reports
 * (docs/dpm-api.md#reproducing-a-run): every path where they disagree, named the way validation
 * errors name fields (`intents[3].quantity`, `group_constraints["sector:TECH"].max_weight`).
 * Objects compare by key (their key order is ignored), arrays by position, scalars by type and
 * value — decimals are strings, so `"10.0"` and `"10"` differ, as their text does.
 */
export type JsonChange = 'CHANGED' | 'ADDED' | 'REMOVED';

export interface JsonDifference {
  readonly path: string;
  /** CHANGED: both sides have the path; REMOVED: only the recorded side; ADDED: only the reproduced side. */
  readonly change: JsonChange;
  readonly recorded?: unknown;
  readonly reproduced?: unknown;
}

export interface JsonDiff {
  /** Every difference found. */
  readonly count: number;
  /** The first `limit` of them, in document order. */
  readonly differences: readonly JsonDifference[];
}

export interface DiffOptions {
  /** Exact paths left out of the comparison. */
  readonly ignore?: readonly string[];
  /** How many differences to list (all are counted). */
  readonly limit: number;
}

/** Values larger than this (as JSON text) are described rather than repeated in a report. */
const SHOWN_VALUE_LIMIT = 2048;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function childPath(path: string, key: string): string {
  if (PLAIN_KEY.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value itself, or `{"omitted": "<what it is>"}` when it is too large to repeat. */
function shown(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const size = JSON.stringify(value).length;
  if (size <= SHOWN_VALUE_LIMIT) return value;
  const what = Array.isArray(value) ? `array of ${value.length} items` : `object with ${Object.keys(value).length} keys`;
  return { omitted: `${what}, ${size} characters of JSON` };
}

export function diffJson(recorded: unknown, reproduced: unknown, options: DiffOptions): JsonDiff {
  const ignored = new Set(options.ignore ?? []);
  const differences: JsonDifference[] = [];
  let count = 0;
  const note = (difference: JsonDifference): void => {
    count += 1;
    if (differences.length < options.limit) differences.push(difference);
  };

  const walk = (path: string, a: unknown, b: unknown, aHas: boolean, bHas: boolean): void => {
    if (ignored.has(path)) return;
    const shownPath = path === '' ? '$' : path;
    if (!bHas) return note({ path: shownPath, change: 'REMOVED', recorded: shown(a) });
    if (!aHas) return note({ path: shownPath, change: 'ADDED', reproduced: shown(b) });
    if (Array.isArray(a) && Array.isArray(b)) {
      const length = Math.max(a.length, b.length);
      for (let i = 0; i < length; i += 1) walk(`${path}[${i}]`, a[i], b[i], i < a.length, i < b.length);
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const key of Object.keys(a)) walk(childPath(path, key), a[key], b[key], true, Object.hasOwn(b, key));
      for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) walk(childPath(path, key), undefined, b[key], false, true);
      return;
    }
    const bothScalars = (typeof a !== 'object' || a === null) && (typeof b !== 'object' || b === null);
    if (!bothScalars || a !== b) note({ path: shownPath, change: 'CHANGED', recorded: shown(a), reproduced: shown(b) });
  };

  walk('', recorded, reproduced, true, true);
  return { count, differences };
}
