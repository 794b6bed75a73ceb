/**
 * `npm run bench:plans [-- --runs N]`: the PostgreSQL plan of every lookup the DPM supportability
 * store and the proposal store make, on a populated database (N runs, default 30,000, and
 * proportionate proposals, operations, decisions and edges: bench/support/plan-data.ts), printed
 * as markdown for docs/performance.md. Then a mixed workload through the stores and each index's
 * `idx_scan` from pg_stat_user_indexes, so an index no lookup uses shows as 0.
 *
 * The SQL is not copied here: each lookup is a call of the real store over an executor that
 * records the statements it runs; each recorded statement (INSERTs aside) is then explained
 * with its own parameters — `EXPLAIN ANALYZE` inside a transaction that is rolled back, so
 * writes (claims, purges, compare-and-set) change nothing. Prepared (named) statements are also
 * shown as the generic plan PostgreSQL may switch to after five executions.
 */
import pg from 'pg';
import { createSqlDpmRunStore } from '../src/stores/dpm-runs/sql-store.ts';
import { migratePostgres } from '../src/stores/postgres/migrator.ts';
import { createSqlProposalStore } from '../src/stores/proposals/sql-store.ts';
import { postgresExecutor } from '../src/stores/sql/postgres-executor.ts';
import { sqlText, type Sql, type SqlExecutor, type SqlQueryable, type SqlValue } from '../src/stores/sql/executor.ts';
import { populate, proposalId, requestHash, runId, T0 } from './support/plan-data.ts';
import { benchPostgres } from './support/postgres.ts';

const args = process.argv.slice(2);
const RUNS = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 30_000;
if (!Number.isInteger(RUNS) || RUNS < 1_000) throw new Error('--runs takes a whole number of at least 1000');
const WORKLOAD_ROUNDS = 20;
const PURGED_RUNS = 50;

interface Statement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
  readonly prepared: boolean;
}

/** The executor the stores run on, recording every statement into `sink`. */
function recording(db: SqlExecutor, sink: Statement[]): SqlExecutor {
  const wrap = (q: SqlQueryable): SqlQueryable => ({
    query: (sql: Sql, params: readonly SqlValue[] = []) => {
      sink.push({ sql: sqlText(sql), params, prepared: typeof sql !== 'string' });
      return q.query(sql, params);
    },
    execute: (sql: Sql, params: readonly SqlValue[] = []) => {
      sink.push({ sql: sqlText(sql), params, prepared: typeof sql !== 'string' });
      return q.execute(sql, params);
    },
  });
  return { ...db, ...wrap(db), transaction: (work) => db.transaction((tx) => work(wrap(tx))) };
}

const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const lease = { workerId: 'plans', now: at(10_000_000), leaseMs: 60_000 };

async function main(): Promise<void> {
  const server = await benchPostgres();
  const dsn = await server.createDatabase('plans');
  const pool = new pg.Pool({ connectionString: dsn, max: 1 });
  const admin = new pg.Client({ connectionString: dsn });
  try {
    await migratePostgres(pool, 'dpm');
    await migratePostgres(pool, 'proposals');
    await admin.connect();
    const counts = await populate(admin, RUNS);
    const sink: Statement[] = [];
    const dpm = createSqlDpmRunStore(recording(postgresExecutor(pool), sink));
    const proposals = createSqlProposalStore(recording(postgresExecutor(pool), sink));

    const mid = Math.floor(RUNS / 2);
    const runCursor = (await dpm.listRuns({ limit: 50, created_to: at(mid * 30) })).nextCursor ?? undefined;
    const operationCursor = (await dpm.listOperations({ limit: 50, created_to: at(mid * 30) })).nextCursor ?? undefined;
    const decisionCursor = (await dpm.listWorkflowDecisionsFiltered({ limit: 50, decided_to: at(mid * 30) })).nextCursor ?? undefined;
    const proposalCursor = (await proposals.listProposals({ limit: 50, created_to: at(mid * 30) })).nextCursor ?? undefined;
    const day = { created_from: at(mid * 30), created_to: at(mid * 30 + 86_400) };
    const run = { rebalance_run_id: runId(mid), correlation_id: `corr_${mid}`, request_hash: requestHash(mid, RUNS), idempotency_key: `key_${mid}` };
    const replay = {
      run: { ...run, rebalance_run_id: runId(RUNS + 1), portfolio_id: 'pf_1', status: 'READY', created_at: at(RUNS * 30), result_json: {} },
      replay: true,
      idempotencyHash: run.request_hash,
      lineage: [],
    };
    const lookups: readonly [store: string, name: string, call: () => Promise<unknown>][] = [
      ['dpm', 'getRun', () => dpm.getRun(run.rebalance_run_id)],
      ['dpm', 'getRunByCorrelation', () => dpm.getRunByCorrelation(run.correlation_id)],
      ['dpm', 'getRunByRequestHash', () => dpm.getRunByRequestHash(run.request_hash)],
      ['dpm', 'getRunByIdempotencyKey', () => dpm.getRunByIdempotencyKey(run.idempotency_key)],
      ['dpm', 'getRunInputs', () => dpm.getRunInputs(run.rebalance_run_id)],
      ['dpm', 'recordRun, replay of a mapped key (one statement)', () => dpm.recordRun(replay)],
      ['dpm', 'replayRun, a mapped key (one statement)', () => dpm.replayRun({ ...run, created_at: replay.run.created_at }, run.request_hash)],
      ['dpm', 'listRuns, first page', () => dpm.listRuns({ limit: 50 })],
      ['dpm', 'listRuns, cursor mid-table', () => dpm.listRuns({ limit: 50, cursor: runCursor })],
      ['dpm', 'listRuns, status BLOCKED', () => dpm.listRuns({ limit: 50, status: 'BLOCKED' })],
      ['dpm', 'listRuns, portfolio', () => dpm.listRuns({ limit: 50, portfolio_id: 'pf_7' })],
      ['dpm', 'listRuns, portfolio + cursor', () => dpm.listRuns({ limit: 50, portfolio_id: 'pf_7', cursor: runCursor })],
      ['dpm', 'listRuns, request hash', () => dpm.listRuns({ limit: 50, request_hash: run.request_hash })],
      ['dpm', 'listRuns, one day', () => dpm.listRuns({ limit: 50, ...day })],
      ['dpm', 'getArtifact', () => dpm.getArtifact(runId(mid - (mid % 10)))],
      ['dpm', 'getIdempotencyMapping', () => dpm.getIdempotencyMapping(run.idempotency_key)],
      ['dpm', 'listIdempotencyHistory', () => dpm.listIdempotencyHistory(run.idempotency_key)],
      ['dpm', 'getOperation', () => dpm.getOperation(`op_${(100).toString(16).padStart(24, '0')}`)],
      ['dpm', 'getOperationByCorrelation', () => dpm.getOperationByCorrelation('opcorr_100')],
      ['dpm', 'listOperations, first page', () => dpm.listOperations({ limit: 50 })],
      ['dpm', 'listOperations, cursor mid-table', () => dpm.listOperations({ limit: 50, cursor: operationCursor })],
      ['dpm', 'listOperations, status FAILED', () => dpm.listOperations({ limit: 50, status: 'FAILED' })],
      ['dpm', 'listOperations, type', () => dpm.listOperations({ limit: 50, operation_type: 'ANALYZE_SCENARIOS' })],
      ['dpm', 'listOperations, correlation', () => dpm.listOperations({ limit: 50, correlation_id: 'opcorr_100' })],
      ['dpm', 'claimRunnable (oldest pending)', () => dpm.claimRunnable(lease)],
      ['dpm', 'purgeExpiredOperations (nothing expired)', () => dpm.purgeExpiredOperations({ cutoff: T0, now: lease.now })],
      ['dpm', 'listWorkflowDecisions (one run)', () => dpm.listWorkflowDecisions(runId(9))],
      ['dpm', 'appendWorkflowDecision, latest of the run', () => dpm.appendWorkflowDecision(
        { decision_id: 'wd_plans', run_id: runId(1), action: 'APPROVE', reason_code: 'OK', comment: null, actor_id: 'a', decided_at: at(RUNS * 30), correlation_id: 'c' },
        { expectedLatestDecisionId: 'not-the-latest' },
      )],
      ['dpm', 'listWorkflowDecisionsFiltered, first page', () => dpm.listWorkflowDecisionsFiltered({ limit: 50 })],
      ['dpm', 'listWorkflowDecisionsFiltered, cursor', () => dpm.listWorkflowDecisionsFiltered({ limit: 50, cursor: decisionCursor })],
      ['dpm', 'listWorkflowDecisionsFiltered, run', () => dpm.listWorkflowDecisionsFiltered({ limit: 50, rebalance_run_id: runId(9) })],
      ['dpm', 'listWorkflowDecisionsFiltered, actor', () => dpm.listWorkflowDecisionsFiltered({ limit: 50, actor_id: 'actor_3' })],
      ['dpm', 'listWorkflowDecisionsFiltered, action', () => dpm.listWorkflowDecisionsFiltered({ limit: 50, action: 'REJECT' })],
      ['dpm', 'listLineageEdges, correlation id', () => dpm.listLineageEdges(run.correlation_id, { limit: 50 })],
      ['dpm', 'listLineageEdges, run id', () => dpm.listLineageEdges(run.rebalance_run_id, { limit: 50, edge_type: 'IDEMPOTENCY_TO_RUN' })],
      ['dpm', 'purgeRunsBefore (nothing that old)', () => dpm.purgeRunsBefore(at(-1))],
      ['proposals', 'getProposal', () => proposals.getProposal(proposalId(100))],
      ['proposals', 'listProposals, first page', () => proposals.listProposals({ limit: 50 })],
      ['proposals', 'listProposals, cursor mid-table', () => proposals.listProposals({ limit: 50, cursor: proposalCursor })],
      ['proposals', 'listProposals, portfolio', () => proposals.listProposals({ limit: 50, portfolio_id: 'pf_7' })],
      ['proposals', 'listProposals, state', () => proposals.listProposals({ limit: 50, state: 'EXECUTED' })],
      ['proposals', 'listProposals, creator', () => proposals.listProposals({ limit: 50, created_by: 'advisor_3' })],
      ['proposals', 'listProposals, one day', () => proposals.listProposals({ limit: 50, ...day })],
      ['proposals', 'getVersion', () => proposals.getVersion(proposalId(100), 2)],
      ['proposals', 'getCurrentVersion', () => proposals.getCurrentVersion(proposalId(100))],
      ['proposals', 'getLineage', () => proposals.getLineage(proposalId(100))],
      ['proposals', 'listEvents', () => proposals.listEvents(proposalId(100))],
      ['proposals', 'listApprovals', () => proposals.listApprovals(proposalId(100))],
      ['proposals', 'getIdempotency', () => proposals.getIdempotency('pkey_100')],
      ['proposals', 'transition, compare-and-set (stale)', () => proposals.transition({
        expectedRowVersion: 99,
        event: { event_id: 'pe_plans', proposal_id: proposalId(100), event_type: 'SUBMITTED_FOR_RISK_REVIEW', from_state: 'DRAFT', to_state: 'RISK_REVIEW', actor_id: 'a', occurred_at: at(RUNS * 30), reason_json: {}, related_version_no: null },
      })],
      ['proposals', 'getOperation', () => proposals.getOperation(`pop_${(10).toString(16).padStart(24, '0')}`)],
      ['proposals', 'getOperationByCorrelation', () => proposals.getOperationByCorrelation('popcorr_10')],
      ['proposals', 'claimRunnable (oldest pending)', () => proposals.claimRunnable(lease)],
      ['proposals', 'getSimulationResponse', () => proposals.getSimulationResponse('SIMULATE', 'skey_100')],
    ];

    const out: string[] = [];
    const log = (...lines: string[]): void => void out.push(...(lines.length > 0 ? lines : ['']));
    log(`Tables: ${Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')}.`);
    log();
    const summary: string[] = ['| store | lookup | statement | plan (indexes) | rows read / returned |', '|---|---|---|---|---|'];
    const plans: string[] = [];
    for (const [store, name, call] of lookups) {
      sink.length = 0;
      await call();
      const statements = sink.filter((s) => !/^\s*INSERT/i.test(s.sql));
      for (const [n, statement] of statements.entries()) {
        const label = statements.length > 1 ? `${name} (${n + 1}/${statements.length})` : name;
        const plan = await explain(admin, statement);
        const generic = statement.prepared ? await explainGeneric(admin, statement) : undefined;
        summary.push(`| ${store} | ${label} | ${statement.prepared ? 'prepared' : 'plain'} | ${describe(plan)}${generic && describe(generic) !== describe(plan) ? `; generic: ${describe(generic)}` : ''} | ${rowsRead(plan)} |`);
        plans.push(`${store} · ${label}`, ...plan.map((line) => `    ${line}`));
        if (generic) plans.push('  generic:', ...generic.map((line) => `    ${line}`));
      }
    }
    log(...summary);
    log();
    log('<details><summary>Plans</summary>');
    log();
    log('```text', ...plans, '```');
    log();
    log('</details>');
    log();

    // Mixed workload, then how often each index was scanned. Backends report their counts when
    // idle, at most once a second unless asked to flush: both connections flush before the reset
    // (the EXPLAINs above must not count) and before the read.
    await flushStatistics(admin, pool);
    await admin.query('SELECT pg_stat_reset()');
    for (let round = 0; round < WORKLOAD_ROUNDS; round += 1) {
      for (const [, , call] of lookups) await call();
    }
    await writeSome(dpm, RUNS);
    // The indexes on foreign keys serve the cascades of a purge that removes runs.
    await dpm.purgeRunsBefore(at(PURGED_RUNS * 30));
    await flushStatistics(admin, pool);
    const { rows } = await admin.query<{ relname: string; indexrelname: string; idx_scan: string }>(
      'SELECT relname, indexrelname, idx_scan FROM pg_stat_user_indexes ORDER BY relname, indexrelname',
    );
    log(
      `Index use after a mixed workload (${WORKLOAD_ROUNDS} rounds of every lookup above, 200 fresh runs and 200 replays through the store, ` +
        `a purge of the ${PURGED_RUNS} oldest runs):`,
    );
    log();
    log('| table | index | idx_scan |', '|---|---|---|');
    for (const row of rows) log(`| ${row.relname} | ${row.indexrelname} | ${Number(row.idx_scan).toLocaleString('en')} |`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await admin.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await server.stop();
  }
}

/** Fresh runs and replays through the one-statement path, as simulate makes them. */
async function writeSome(dpm: ReturnType<typeof createSqlDpmRunStore>, runs: number): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    const n = runs + 10 + (i % 200);
    const run = { rebalance_run_id: runId(n), correlation_id: `corr_w${i}`, request_hash: `sha256:w${n}`, idempotency_key: `key_w${n}`, portfolio_id: 'pf_1', status: 'READY', created_at: at(n * 30), result_json: {} };
    await dpm.recordRun({
      run: i < 200 ? run : { ...run, rebalance_run_id: runId(n + 1_000_000) },
      replay: true,
      lineage: [{ edge_id: `le_w${i}`, source_entity_id: run.correlation_id, edge_type: 'CORRELATION_TO_RUN', target_entity_id: run.rebalance_run_id, created_at: run.created_at, metadata_json: {} }],
    });
  }
}

async function flushStatistics(...clients: (pg.Client | pg.Pool)[]): Promise<void> {
  for (const client of clients) {
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1');
  }
}

/** EXPLAIN ANALYZE of one statement with its parameters, rolled back. */
async function explain(client: pg.Client, statement: Statement): Promise<string[]> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${statement.sql}`,
      statement.params as unknown[],
    );
    return rows.map((row) => row['QUERY PLAN']);
  } finally {
    await client.query('ROLLBACK');
  }
}

/** The plan PostgreSQL caches for a prepared statement once it stops planning per call. */
async function explainGeneric(client: pg.Client, statement: Statement): Promise<string[]> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (GENERIC_PLAN, COSTS OFF) ${statement.sql}`);
  return rows.map((row) => row['QUERY PLAN']);
}

/** The plan's scans, e.g. "Index Scan dpm_runs_pkey" — and any sequential scan, named as such. */
function describe(plan: readonly string[]): string {
  const scans = plan.flatMap((line) => {
    const index = /(Index Only Scan(?: Backward)?|Index Scan(?: Backward)?|Bitmap Index Scan) (?:using |on )(\w+)/.exec(line);
    if (index) return [`${index[1]} ${index[2]}`];
    const seq = /Seq Scan on (\w+)/.exec(line);
    return seq ? [`**Seq Scan ${seq[1]}**`] : [];
  });
  return scans.length > 0 ? [...new Set(scans)].join(', ') : 'no table read';
}

/** Rows the scans returned against rows the plan's top node returned (from EXPLAIN ANALYZE). */
function rowsRead(plan: readonly string[]): string {
  const actual = (line: string): number => Number(/actual rows=(\d+)/.exec(line)?.[1] ?? 0);
  const removed = plan.reduce((sum, line) => sum + Number(/Rows Removed by (?:Filter|Index Recheck): (\d+)/.exec(line)?.[1] ?? 0), 0);
  const scanned = plan.filter((line) => /Scan/.test(line) && !/Bitmap Index Scan/.test(line)).reduce((sum, line) => sum + actual(line), 0);
  return `${(scanned + removed).toLocaleString('en')} / ${actual(plan[0] ?? '').toLocaleString('en')}`;
}

await main();
