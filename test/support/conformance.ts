/**
 * Conformance vectors (test/fixtures/conformance; see its README) and their comparison rules,
 * for any engine whose output is JSON:
 *
 * 1. decimals are JSON strings compared numerically ("3737.000" equals "3737");
 * 2. ignored paths (random ids, caller-supplied values) are not compared;
 * 3. everything else field by field, arrays in order — except "unordered" paths, compared as sets;
 * 4. `expected_partial` files pin a subset: only the object keys present in the expectation are
 *    compared (arrays still by length and index).
 *
 * Paths are written `a.b[].c`: `[]` stands for any array index, `*` for any object key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { repoPath } from './paths.ts';

export const conformanceRoot = repoPath('test', 'fixtures', 'conformance');

/** The folders of vectors: the DPM engine, its large portfolios, the advisory engine. */
export type ConformanceFolder = 'dpm' | 'dpm-large' | 'advisory';

/** One vector file, parsed: `conformanceVector('dpm', 'scenario_01_cash_inflow')`. */
export function conformanceVector<T = Record<string, unknown>>(folder: ConformanceFolder, name: string): T {
  return JSON.parse(readFileSync(path.join(conformanceRoot, folder, `${name}.json`), 'utf8')) as T;
}

export interface ConformanceCase {
  readonly name: string;
  readonly file: string;
  readonly request: unknown;
  /** The full expected result, or the pinned subset when `partial` is true. */
  readonly expected: unknown;
  readonly partial: boolean;
  /** A second request body some files carry (e.g. `batch_request` for /rebalance/analyze). */
  readonly batchRequest?: unknown;
}

export function loadConformanceCases(folder: ConformanceFolder): ConformanceCase[] {
  const dir = path.join(conformanceRoot, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const partial = 'expected_partial' in raw;
      return {
        name: String(raw.name ?? path.basename(f, '.json')),
        file,
        request: raw.request,
        expected: partial ? raw.expected_partial : raw.expected,
        partial,
        ...('batch_request' in raw ? { batchRequest: raw.batch_request } : {}),
      };
    });
}

export interface CompareRules {
  /** Paths not compared at all. */
  readonly ignore?: readonly string[];
  /** Array paths compared as sets. */
  readonly unordered?: readonly string[];
  /** Compare only keys present in the expectation. */
  readonly partial?: boolean;
  /** Also require object keys in the expected order (full comparisons only). */
  readonly keyOrder?: boolean;
}

/** What the conformance README says for RebalanceResult files. */
export const REBALANCE_RESULT_RULES: CompareRules = {
  ignore: ['rebalance_run_id', 'universe.universe_id', 'target.target_id', 'correlation_id', 'lineage.request_hash'],
  unordered: ['diagnostics.warnings'],
};

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function patternMatches(pattern: string, actualPath: string): boolean {
  const p = pattern.split('.');
  const a = actualPath.split('.');
  return p.length === a.length && p.every((seg, i) => seg === '*' || seg === a[i]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return JSON.stringify(v)?.slice(0, 200) ?? String(v);
}

function sameScalar(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (DECIMAL_TEXT.test(expected) && DECIMAL_TEXT.test(actual)) return new Decimal(expected).eq(actual);
  }
  return expected === actual;
}

/** Every difference, as `path: expected …, got …` lines (empty when the output conforms). */
export function compareToExpected(actual: unknown, expected: unknown, rules: CompareRules = {}): string[] {
  const problems: string[] = [];
  const ignored = (p: string) => (rules.ignore ?? []).some((pattern) => patternMatches(pattern, p));
  const unordered = (p: string) => (rules.unordered ?? []).some((pattern) => patternMatches(pattern, p));

  const walk = (e: unknown, a: unknown, at: string, shown: string): void => {
    if (ignored(at)) return;
    const where = shown === '' ? '(root)' : shown;
    if (Array.isArray(e)) {
      if (!Array.isArray(a)) {
        problems.push(`${where}: expected an array, got ${show(a)}`);
        return;
      }
      if (unordered(at)) {
        const key = (v: unknown) => JSON.stringify(v);
        const want = new Set(e.map(key));
        const got = new Set(a.map(key));
        const missing = [...want].filter((k) => !got.has(k));
        const extra = [...got].filter((k) => !want.has(k));
        if (missing.length + extra.length > 0) {
          problems.push(`${where}: set differs; missing ${missing.join(', ') || '-'}; unexpected ${extra.join(', ') || '-'}`);
        }
        return;
      }
      if (e.length !== a.length) problems.push(`${where}: expected ${e.length} items, got ${a.length}`);
      for (let i = 0; i < Math.min(e.length, a.length); i += 1) walk(e[i], a[i], `${at}[]`, `${shown}[${i}]`);
      return;
    }
    if (isObject(e)) {
      if (!isObject(a)) {
        problems.push(`${where}: expected an object, got ${show(a)}`);
        return;
      }
      const join = (k: string, p: string) => (p === '' ? k : `${p}.${k}`);
      for (const k of Object.keys(e)) {
        if (!(k in a)) {
          if (!ignored(join(k, at))) problems.push(`${join(k, shown)}: missing`);
          continue;
        }
        walk(e[k], a[k], join(k, at), join(k, shown));
      }
      if (!rules.partial) {
        for (const k of Object.keys(a)) if (!(k in e)) problems.push(`${join(k, shown)}: unexpected key`);
        if (rules.keyOrder) {
          const want = Object.keys(e).join(',');
          const got = Object.keys(a).join(',');
          if (want !== got) problems.push(`${where}: key order ${got}, expected ${want}`);
        }
      }
      return;
    }
    if (!sameScalar(e, a)) problems.push(`${where}: expected ${show(e)}, got ${show(a)}`);
  };

  // Compare the JSON form: what a client would receive.
  walk(expected, JSON.parse(JSON.stringify(actual)) as unknown, '', '');
  return problems;
}
