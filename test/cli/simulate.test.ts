/**
 * The real CLI, spawned as a user runs it (`node --import tsx src/main.ts simulate <file>` from
 * the repository root), on conformance vectors and on bad input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareToExpected,
  conformanceRoot,
  loadConformanceCases,
  REBALANCE_RESULT_RULES,
  repoRoot,
} from '../support/conformance.ts';

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'simulate', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'simulate-cli-'));
const vectorFile = (name: string) => path.join(conformanceRoot, 'dpm', `${name}.json`);

describe('simulate CLI', () => {
  it('prints the RebalanceResult of a conformance vector, matching its expectation', () => {
    const [vector] = loadConformanceCases('dpm').filter((c) => c.name === 'scenario_03_fx_funding');
    const run = cli(vectorFile('scenario_03_fx_funding'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { rebalance_run_id: string; lineage: { request_hash: string } };
    expect(compareToExpected(result, vector?.expected, REBALANCE_RESULT_RULES)).toEqual([]);
    expect(result.rebalance_run_id).toMatch(/^rr_[0-9a-f]{8}$/);
    expect(result.lineage.request_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('accepts a bare request body as well', () => {
    const body = { ...(loadConformanceCases('dpm')[0]?.request as object) };
    const file = path.join(scratch, 'bare.json');
    writeFileSync(file, JSON.stringify(body));
    const run = cli(file);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'READY', correlation_id: 'c_none' });
  });

  it('runs the batch_request of a vector with --batch', () => {
    const run = cli('--batch', vectorFile('scenario_13_what_if_analysis'));
    expect(run.status).toBe(0);
    const batch = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(batch.batch_run_id).toMatch(/^batch_[0-9a-f]{8}$/);
    expect(Object.keys(batch.results as object)).toEqual(['ignore_checks']);
    expect((batch.failed_scenarios as Record<string, string>).invalid_case).toMatch(/^INVALID_OPTIONS: /);
  });

  it('rejects an invalid request with DPM_REQUEST_INVALID, naming every bad field', () => {
    const file = path.join(scratch, 'invalid.json');
    writeFileSync(
      file,
      JSON.stringify({ portfolio_snapshot: { portfolio_id: 'p', base_currency: 'SGD', positions: [{ quantity: 'x' }] } }),
    );
    const run = cli(file);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    const error = JSON.parse(run.stderr) as { code: string; problems: { field: string }[] };
    expect(error.code).toBe('DPM_REQUEST_INVALID');
    expect(error.problems.map((p) => p.field)).toEqual([
      'portfolio_snapshot.positions[0].instrument_id',
      'portfolio_snapshot.positions[0].quantity',
      'market_data_snapshot',
      'model_portfolio',
      'shelf_entries',
      'options',
    ]);
  });

  it('reports an unreadable or non-JSON file as SIMULATE_INPUT_UNREADABLE', () => {
    const notJson = path.join(scratch, 'not-json.json');
    writeFileSync(notJson, '{ not json');
    for (const file of [notJson, path.join(scratch, 'missing.json')]) {
      const run = cli(file);
      expect(run.status).not.toBe(0);
      expect((JSON.parse(run.stderr) as { code: string }).code).toBe('SIMULATE_INPUT_UNREADABLE');
    }
  });
});
