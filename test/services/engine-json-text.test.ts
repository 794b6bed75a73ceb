import { describe, expect, it } from 'vitest';
import { jsonText, parseKeepingText } from '../../src/services/engine/json-text.ts';

describe('an engine output keeps the JSON text it arrived as', () => {
  it('a value parsed from a worker\'s text gives that very text back, equal to serialising it', () => {
    const text = JSON.stringify({ rebalance_run_id: 'rr_1', status: 'READY', amounts: ['1.50', '-0'], nested: { b: 1, a: [true, null] } });
    const value = parseKeepingText(text);
    expect(jsonText(value)).toBe(text);
    expect(jsonText(value)).toBe(JSON.stringify(value));
  });

  it('any other value is serialised now', () => {
    const value = { status: 'READY' };
    expect(jsonText(value)).toBe('{"status":"READY"}');
    expect(jsonText(parseKeepingText('"text"'))).toBe('"text"');
    expect(jsonText(null)).toBe('null');
  });
});
