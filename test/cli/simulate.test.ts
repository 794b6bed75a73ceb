/**
 * The real CLI, spawned as a user runs it (`node --import tsx src/main.ts simulate <file>` from
 * the repository root), on conformance vectors and on bad input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { proposalRequestHash, proposalRunIdFor, validateProposalSimulateRequest } from '../../src/domain/advisory/index.ts';
import { PROPOSAL_RESULT_RULES } from '../domain/advisory/support.ts';
import { compareToExpected, conformanceRoot, loadConformanceCases, REBALANCE_RESULT_RULES } from '../support/conformance.ts';
import { REPO_ROOT } from '../support/paths.ts';

function cli(...args: string[]) {
  return cliWithInput(undefined, ...args);
}

/** The CLI with `input` on its standard input. */
function cliWithInput(input: string | undefined, ...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'simulate', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    ...(input === undefined ? {} : { input }),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'simulate-cli-'));
const vectorFile = (name: string) => path.join(conformanceRoot, 'dpm', `${name}.json`);
const dpmVectorText = (name: string) => readFileSync(vectorFile(name), 'utf8');

describe('simulate CLI', () => {
  it('prints the RebalanceResult of a conformance vector, matching its expectation', () => {
    const [vector] = loadConformanceCases('dpm').filter((c) => c.name === 'scenario_03_fx_funding');
    const run = cli(vectorFile('scenario_03_fx_funding'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { rebalance_run_id: string; lineage: { request_hash: string } };
    expect(compareToExpected(result, vector?.expected, REBALANCE_RESULT_RULES)).toEqual([]);
    expect(result.rebalance_run_id).toMatch(/^rr_[0-9a-f]{24}$/);
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
    expect(batch.batch_run_id).toMatch(/^batch_[0-9a-f]{24}$/);
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

  it('reports a file it cannot read as SIMULATE_INPUT_UNREADABLE, exit 66', () => {
    const run = cli(path.join(scratch, 'missing.json'));
    expect(run.status).toBe(66);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toMatchObject({ code: 'SIMULATE_INPUT_UNREADABLE', message: expect.stringContaining('missing.json') });
  });

  it('reports malformed JSON as SIMULATE_INPUT_MALFORMED_JSON, exit 65, with the line and column where it breaks', () => {
    const notJson = path.join(scratch, 'not-json.json');
    writeFileSync(notJson, '{\n  "options": {},\n  "portfolio_snapshot": }\n');
    const run = cli(notJson);
    expect(run.status).toBe(65);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({
      code: 'SIMULATE_INPUT_MALFORMED_JSON',
      message: `${notJson} is not valid JSON at line 3, column 25 (offset 43).`,
    });
  });

  it('reads the request from standard input when the file is -', () => {
    const vector = dpmVectorText('scenario_01_cash_inflow');
    const run = cliWithInput(vector, '-');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'READY' });
  });

  it('says when standard input ends before the JSON text does', () => {
    const run = cliWithInput('{"portfolio_snapshot": {', '-');
    expect(run.status).toBe(65);
    expect(JSON.parse(run.stderr)).toEqual({
      code: 'SIMULATE_INPUT_MALFORMED_JSON',
      message: 'Standard input ends before the JSON text is complete (offset 24).',
    });
  });

  describe('--proposal (advisory engine)', () => {
    const proposalVector = (name: string) => path.join(conformanceRoot, 'advisory', `${name}.json`);

    it('prints the ProposalResult of a vector, matching its expectation, with the deterministic run id', () => {
      const [vector] = loadConformanceCases('advisory').filter((c) => c.name === 'scenario_14B_auto_funding_single_ccy');
      const run = cli('--proposal', proposalVector('scenario_14B_auto_funding_single_ccy'));
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const result = JSON.parse(run.stdout) as { proposal_run_id: string; lineage: { request_hash: string } };
      expect(compareToExpected(result, vector?.expected, PROPOSAL_RESULT_RULES)).toEqual([]);
      const validated = validateProposalSimulateRequest(vector?.request);
      if (!validated.ok) throw new Error('vector does not validate');
      const hash = proposalRequestHash(validated.value);
      expect(result.lineage.request_hash).toBe(hash);
      expect(result.proposal_run_id).toBe(proposalRunIdFor(hash));
    });

    it('accepts a bare proposal body as well', () => {
      const body = loadConformanceCases('advisory').find((c) => c.name === 'scenario_14A_advisory_manual_trade_cashflow')?.request;
      const file = path.join(scratch, 'bare-proposal.json');
      writeFileSync(file, JSON.stringify(body));
      const run = cli('--proposal', file);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'READY', correlation_id: 'c_none', proposal_run_id: expect.stringMatching(/^pr_[0-9a-f]{8}$/) });
    });

    it('rejects an invalid body with PROPOSAL_REQUEST_INVALID, naming every bad field', () => {
      const file = path.join(scratch, 'invalid-proposal.json');
      writeFileSync(
        file,
        JSON.stringify({
          portfolio_snapshot: { portfolio_id: 'p', base_currency: 'SGD' },
          market_data_snapshot: {},
          shelf_entries: [],
          proposed_trades: [{ side: 'BUY', instrument_id: 'X', quantity: 1.5 }, { side: 'BUY', instrument_id: 'Y' }],
        }),
      );
      const run = cli('--proposal', file);
      expect(run.status).toBe(65);
      expect(run.stdout).toBe('');
      const error = JSON.parse(run.stderr) as { code: string; problems: { field: string; message: string }[] };
      expect(error.code).toBe('PROPOSAL_REQUEST_INVALID');
      expect(error.problems).toEqual([
        {
          field: 'proposed_trades[0].quantity',
          code: 'value_error',
          message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: quantity must be a decimal string',
        },
        {
          field: 'proposed_trades[1]',
          code: 'value_error',
          message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: quantity or notional is required',
        },
      ]);
    });

    it('cannot be combined with --batch', () => {
      const run = cli('--proposal', '--batch', proposalVector('scenario_14A_advisory_manual_trade_cashflow'));
      expect(run.status).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/cannot be used with/);
    });
  });
});
