/** Canonical JSON and the request hash (docs/engine.md#request-hash). */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, compareCodePoints } from '../../../src/domain/canonical-json.ts';
import { rebalanceRequestHash, validateRebalanceRequest } from '../../../src/domain/dpm/index.ts';
import { REPO_ROOT } from '../../support/paths.ts';

const SPEC_BODY = {
  portfolio_snapshot: {
    portfolio_id: 'pf_1',
    base_currency: 'SGD',
    positions: [],
    cash_balances: [{ currency: 'SGD', amount: '10000.00' }],
  },
  market_data_snapshot: { prices: [{ instrument_id: 'EQ_1', price: '100.00', currency: 'SGD' }], fx_rates: [] },
  model_portfolio: { targets: [{ instrument_id: 'EQ_1', weight: '1.0' }] },
  shelf_entries: [{ instrument_id: 'EQ_1', status: 'APPROVED' }],
  options: {},
};

function hashOf(body: unknown): string {
  const result = validateRebalanceRequest(body);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return rebalanceRequestHash(result.value);
}

describe('request hash', () => {
  it('matches the reference test vector', () => {
    expect(hashOf(SPEC_BODY)).toBe('sha256:d662dd868633f9012fecd429bf0aa3d6b2d46d3702022547f61be29b59a248ce');
  });

  it('covers the request with defaults filled in, not the text of the body', () => {
    const withDefaults = structuredClone(SPEC_BODY) as Record<string, unknown>;
    withDefaults.options = { fx_buffer_pct: '0.01', target_method: 'HEURISTIC' };
    withDefaults.ignored = { unknown: true };
    expect(hashOf(withDefaults)).toBe(hashOf(SPEC_BODY));
    // Decimal text keeps trailing zeros: "0.010" is a different request.
    expect(hashOf({ ...SPEC_BODY, options: { fx_buffer_pct: '0.010' } })).not.toBe(hashOf(SPEC_BODY));
  });

  it('is the same in another process', () => {
    const script = `
      import { validateRebalanceRequest, rebalanceRequestHash } from './src/domain/dpm/index.ts';
      const r = validateRebalanceRequest(${JSON.stringify(SPEC_BODY)});
      process.stdout.write(r.ok ? rebalanceRequestHash(r.value) : 'invalid');`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(output).toBe(hashOf(SPEC_BODY));
  });
});

describe('canonical JSON', () => {
  it('sorts keys by code point at every level, keeps array order, no whitespace', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: true, B: 'x', '\u{1F600}': 1, '\uFFFF': 2 })).toBe(
      '{"B":"x","a":true,"b":[3,{"a":null,"z":1}],"\\uffff":2,"\\ud83d\\ude00":1}',
    );
  });

  it('escapes like Python ensure_ascii and prints floats like Python repr', () => {
    expect(canonicalJson('é"\\\n\t\u0001\u007f')).toBe('"\\u00e9\\"\\\\\\n\\t\\u0001\\u007f"');
    expect(canonicalJson([1, -0.5, 1e-7, 0.0001, 123.25])).toBe('[1,-0.5,1e-07,0.0001,123.25]');
  });
  it('equals the plain definition on any JSON value: keys by code point, ASCII-only text, undefined members left out', () => {
    // The definition, written for clarity: JSON.stringify's text with every non-ASCII unit escaped.
    const plain = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(plain).join(',')}]`;
      if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => compareCodePoints(a, b));
        return `{${entries.map(([k, v]) => `${plain(k)}:${plain(v)}`).join(',')}}`;
      }
      if (typeof value === 'number') return canonicalJson(value);
      return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
    };
    const key = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a', 'B', '\uffff', '\u{1F600}', '10', '2', 'é'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(key, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 6 }),
      ),
    })).value;
    fc.assert(fc.property(json, (value) => canonicalJson(value) === plain(value)), { numRuns: 2_000 });
  });
});
