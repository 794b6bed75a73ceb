import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutageLog, type OutageLog } from '../../../src/stores/postgres/outage-log.ts';

interface Line {
  readonly level: 'warn' | 'info';
  readonly fields: Record<string, unknown>;
  readonly msg: string;
}

describe('outage log (folds failures into a few lines)', () => {
  const lines: Line[] = [];
  const logger = {
    warn: (fields: Record<string, unknown>, msg: string) => void lines.push({ level: 'warn', fields, msg }),
    info: (fields: Record<string, unknown>, msg: string) => void lines.push({ level: 'info', fields, msg }),
  };
  let log: OutageLog;

  beforeEach(() => {
    vi.useFakeTimers();
    lines.length = 0;
    log = createOutageLog({ logger: logger as never, intervalMs: 10_000 });
  });
  afterEach(() => {
    log.close();
    vi.useRealTimers();
  });

  it('a store that goes down: one warning, one summary per interval while down, one info line when back', () => {
    const proposals = log.store('PROPOSAL');
    proposals.succeeded();
    for (let i = 0; i < 50; i += 1) proposals.unavailable('connect ECONNREFUSED 127.0.0.1:5432');
    expect(lines).toEqual([
      { level: 'warn', fields: { store: 'PROPOSAL', code: 'PROPOSAL_POSTGRES_UNAVAILABLE', reason: 'connect ECONNREFUSED 127.0.0.1:5432' }, msg: expect.any(String) },
    ]);
    vi.advanceTimersByTime(10_000);
    for (let i = 0; i < 7; i += 1) proposals.unavailable('again');
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(10_000);
    expect(lines.slice(1).map((l) => [l.level, l.fields['failed_calls'], l.fields['down_ms']])).toEqual([
      ['warn', 49, 10_000],
      ['warn', 7, 20_000],
      ['warn', 0, 30_000],
    ]);
    proposals.succeeded();
    proposals.succeeded();
    expect(lines.at(-1)).toEqual({ level: 'info', fields: { store: 'PROPOSAL', down_ms: 30_000, failed_calls: 57 }, msg: 'PostgreSQL available again' });
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(5);
  });

  it('a store that keeps dropping out (sessions killed one after another): one warning, one info line, then one summary per interval', () => {
    const dpm = log.store('DPM_SUPPORTABILITY');
    for (let kill = 0; kill < 12; kill += 1) {
      dpm.unavailable('terminating connection due to administrator command');
      dpm.unavailable('Connection terminated unexpectedly');
      dpm.succeeded();
    }
    vi.advanceTimersByTime(10_000);
    expect(lines.map((l) => [l.level, l.msg, l.fields['outages'], l.fields['failed_calls']])).toEqual([
      ['warn', 'PostgreSQL unavailable; calls answer 503 until it is back', undefined, undefined],
      ['info', 'PostgreSQL available again', undefined, 2],
      ['warn', 'PostgreSQL briefly unavailable, again', 11, 22],
    ]);
    // A quiet interval closes the window: the next outage is news again.
    vi.advanceTimersByTime(10_000);
    dpm.unavailable('x');
    expect(lines.at(-1)?.msg).toBe('PostgreSQL unavailable; calls answer 503 until it is back');
  });

  it('an outage that starts right after a flap and lasts is still reported down, and back', () => {
    const dpm = log.store('DPM_SUPPORTABILITY');
    dpm.unavailable('x');
    dpm.succeeded();
    dpm.unavailable('y');
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(10_000);
    dpm.succeeded();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'PostgreSQL unavailable; calls answer 503 until it is back'],
      ['info', 'PostgreSQL available again'],
      ['warn', 'PostgreSQL still unavailable'],
      ['warn', 'PostgreSQL still unavailable'],
      ['info', 'PostgreSQL available again'],
    ]);
  });

  it('each store speaks for itself', () => {
    log.store('PROPOSAL').unavailable('x');
    log.store('DPM_SUPPORTABILITY').unavailable('x');
    log.store('PROPOSAL').succeeded();
    expect(lines.map((l) => [l.level, l.fields['store']])).toEqual([
      ['warn', 'PROPOSAL'],
      ['warn', 'DPM_SUPPORTABILITY'],
      ['info', 'PROPOSAL'],
    ]);
  });

  it('knows which stores are down now: from an unavailable call until the next success; timeouts are not an outage', () => {
    const proposals = log.store('PROPOSAL');
    expect(log.isDown('PROPOSAL')).toBe(false);
    expect(log.isDown('DPM_POLICY_PACK')).toBe(false);
    proposals.unavailable('x');
    log.store('DPM_SUPPORTABILITY').timedOut('canceling statement due to statement timeout');
    expect([log.isDown('PROPOSAL'), log.isDown('DPM_SUPPORTABILITY')]).toEqual([true, false]);
    proposals.succeeded();
    expect(log.isDown('PROPOSAL')).toBe(false);
  });

  it('timeouts and lost idle connections: the first at once, the rest of an interval in one line, silence after a quiet interval', () => {
    const dpm = log.store('DPM_SUPPORTABILITY');
    for (let i = 0; i < 30; i += 1) dpm.timedOut('canceling statement due to lock timeout');
    for (let i = 0; i < 4; i += 1) log.connectionLost('terminating connection due to administrator command');
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(10_000);
    dpm.timedOut('again');
    expect(lines.map((l) => [l.level, l.fields['code'], l.fields['timeouts'] ?? l.fields['connections_lost'] ?? l.fields['reason']])).toEqual([
      ['warn', 'DPM_SUPPORTABILITY_POSTGRES_TIMEOUT', 'canceling statement due to lock timeout'],
      ['warn', undefined, 'terminating connection due to administrator command'],
      ['warn', 'DPM_SUPPORTABILITY_POSTGRES_TIMEOUT', 29],
      ['warn', undefined, 3],
      ['warn', 'DPM_SUPPORTABILITY_POSTGRES_TIMEOUT', 'again'],
    ]);
    // A timeout says nothing about availability: no "available again" line follows a success.
    dpm.succeeded();
    expect(lines).toHaveLength(5);
  });
});
