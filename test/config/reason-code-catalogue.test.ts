/**
 * Every code the service emits is catalogued (src/config/reason-codes.ts): the test walks src/
 * for code-like string literals (`UPPER_SNAKE`) and fails on one that is neither a catalogued
 * code nor known vocabulary. The engines (src/domain) are left out: their codes are result data
 * (rule ids, gate reasons, diagnostics), documented in docs/engine.md and docs/advisory.md, and
 * their words (states, statuses, event types) count as vocabulary here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../src/config/reason-codes.ts';
import { VARIABLE_DOCS } from '../../src/config/settings.ts';
import { REPO_ROOT } from '../support/paths.ts';

const SRC = join(REPO_ROOT, 'src');
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const LITERAL = /'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\]*)`/g;

/** Words outside src/domain that are values, not codes: backends, modes, record types. */
const VOCABULARY = new Set([
  'IN_MEMORY',
  'ENV_JSON',
  'ACCEPT_ONLY',
  'ANALYZE_SCENARIOS',
  'CREATE_PROPOSAL',
  'CREATE_PROPOSAL_VERSION',
  'CORRELATION_TO_RUN',
  'IDEMPOTENCY_TO_RUN',
  'OPERATION_TO_CORRELATION',
  'OPERATION_TO_RUN',
  'SCENARIO_EXECUTION_ERROR',
  'REVIEW_APPROVED',
  'DPM_SUPPORTABILITY',
  'DPM_POLICY_PACK',
  // Example data of the OpenAPI document (instrument ids, an asset class).
  'EQ_1',
  'SG_BOND_ETF',
  'US_EQ_ETF',
  'FIXED_INCOME',
  'CASH_BAND_BREACH',
  // A reproduce report's verdicts (docs/dpm-api.md#reproducing-a-run).
  'REQUEST_REJECTED',
  // OTEL_TRACES_SAMPLER's standard values (docs/operations.md#tracing-and-logs).
  'ALWAYS_ON',
  'ALWAYS_OFF',
  'PARENTBASED_ALWAYS_ON',
  'PARENTBASED_ALWAYS_OFF',
  'PARENTBASED_TRACEIDRATIO',
  // Node's network error codes the stores classify.
  'EAI_AGAIN',
  // An identifier named in a comment.
  'PROPOSAL_REQUEST_EXAMPLE',
  // A state of the async queue-depth gauge: RUNNING with a lapsed lease (docs/operations.md#metrics).
  'LEASE_EXPIRED',
]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function literals(path: string): string[] {
  return [...readFileSync(path, 'utf8').matchAll(LITERAL)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('the reason-code catalogue', () => {
  const sources = files(SRC);
  const domain = new Set(sources.filter((f) => f.startsWith(join(SRC, 'domain'))).flatMap(literals).filter((l) => CODE.test(l)));
  const variables = new Set(VARIABLE_DOCS.map((v) => v.name));
  const catalogued = new Set(Object.keys(REASON_CODES));

  it('names every code-like literal outside the engines', () => {
    const unknown: string[] = [];
    for (const file of sources.filter((f) => !f.startsWith(join(SRC, 'domain')))) {
      for (const literal of literals(file)) {
        // `…:<ns>` suffixes and `${store}_POSTGRES_UNAVAILABLE` templates: judge the fixed part.
        const word = literal.replace(/^\$\{[^}]+\}/, 'X').split(':')[0] ?? '';
        if (!CODE.test(word)) continue;
        const known = catalogued.has(word) || variables.has(word) || domain.has(word) || VOCABULARY.has(word) || (word.startsWith('X_') && [...catalogued].some((c) => c.endsWith(word.slice(1))));
        if (!known) unknown.push(`${relative(REPO_ROOT, file)}: ${literal}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('gives every code an area and a one-line meaning, and an HTTP code a 4xx/5xx status', () => {
    for (const [code, entry] of Object.entries(REASON_CODES)) {
      expect(entry.meaning, code).toMatch(/^\S.*[.)]$/);
      expect(entry.meaning.includes('\n'), code).toBe(false);
      if (entry.status !== undefined) expect(entry.status, code).toBeGreaterThanOrEqual(400);
      if (entry.retryAfter !== undefined) expect(entry.status, code).toBe(503);
      for (const detail of entry.detail ?? []) expect(detail === code || detail.startsWith(`${code}: `) || !CODE.test(detail.split(':')[0] ?? ''), `${code}: ${detail}`).toBe(true);
    }
  });
});
