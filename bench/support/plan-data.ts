/**
 * Fills the DPM and proposal tables of one PostgreSQL database with `runs` runs and proportionate
 * everything else, set-based (one INSERT … SELECT generate_series per table), then ANALYZEs, so
 * `bench/plans.ts` sees the plans a populated production database gets. Shapes follow what the
 * service writes: 500 portfolios, runs 30 s apart, every run with a key, a history entry and two
 * lineage edges, a run in ten BLOCKED, each request hash twice, a decision for a third of the runs,
 * an artifact for a tenth; a proposal per three runs, a quarter of them with a second version.
 */
import type pg from 'pg';

export const T0 = '2026-01-01T00:00:00.000Z';
export const runId = (i: number): string => `rr_${i.toString(16).padStart(24, '0')}`;
export const proposalId = (i: number): string => `pp_${i.toString(16).padStart(24, '0')}`;
export const requestHash = (i: number, runs: number): string => `sha256:${String(i % Math.floor(runs / 2)).padStart(64, '0')}`;

const RUN_ID = `'rr_' || lpad(to_hex(i), 24, '0')`;
const PROPOSAL_ID = `'pp_' || lpad(to_hex(i), 24, '0')`;
const AT = (seconds: string): string => `$2::timestamptz + (${seconds}) * interval '1 second'`;
const STATES = `(ARRAY['DRAFT','RISK_REVIEW','COMPLIANCE_REVIEW','AWAITING_CLIENT_CONSENT','EXECUTION_READY','EXECUTED','REJECTED','CANCELLED','EXPIRED'])[1 + i % 9]`;

/** A statement with a row count gets `$1` = that count and `$2` = T0; one without copies from another table. */
const STATEMENTS: readonly [table: string, rows: ((runs: number) => number) | undefined, sql: string][] = [
  [
    'dpm_runs',
    (n) => n,
    `INSERT INTO dpm_runs (rebalance_run_id, correlation_id, request_hash, idempotency_key, portfolio_id, status, created_at, result_json,
       request_canonical, effective_options_json, engine_version)
     SELECT ${RUN_ID}, 'corr_' || i, 'sha256:' || lpad((i % ($1 / 2))::text, 64, '0'), 'key_' || i, 'pf_' || (i % 500),
       CASE WHEN i % 10 = 0 THEN 'BLOCKED' ELSE 'READY' END, ${AT('i * 30')},
       json_build_object('rebalance_run_id', ${RUN_ID}, 'status', 'READY', 'trades', repeat('t', 1200)),
       repeat('r', 600), '{}'::json, '1'
     FROM generate_series(0, $1 - 1) AS i`,
  ],
  [
    'dpm_run_idempotency',
    undefined,
    `INSERT INTO dpm_run_idempotency (idempotency_key, request_hash, rebalance_run_id, created_at)
     SELECT idempotency_key, request_hash, rebalance_run_id, created_at FROM dpm_runs`,
  ],
  [
    'dpm_run_idempotency_history',
    (n) => n,
    `INSERT INTO dpm_run_idempotency_history (idempotency_key, rebalance_run_id, correlation_id, request_hash, created_at)
     SELECT 'key_' || i, ${RUN_ID}, 'corr_' || i, 'h', ${AT('i * 30')} FROM generate_series(0, $1 - 1) AS i
     UNION ALL
     SELECT 'key_' || i, ${RUN_ID}, 'corr_r' || i, 'h', ${AT('i * 30 + 5')} FROM generate_series(0, $1 - 1, 5) AS i`,
  ],
  [
    'dpm_lineage_edges',
    (n) => n,
    `INSERT INTO dpm_lineage_edges (edge_id, source_entity_id, edge_type, target_entity_id, created_at, metadata_json)
     SELECT 'le_c' || i, 'corr_' || i, 'CORRELATION_TO_RUN', ${RUN_ID}, ${AT('i * 30')}, '{}'::jsonb FROM generate_series(0, $1 - 1) AS i
     UNION ALL
     SELECT 'le_k' || i, 'key_' || i, 'IDEMPOTENCY_TO_RUN', ${RUN_ID}, ${AT('i * 30')}, '{}'::jsonb FROM generate_series(0, $1 - 1) AS i`,
  ],
  [
    'dpm_run_artifacts',
    (n) => n,
    `INSERT INTO dpm_run_artifacts (rebalance_run_id, artifact_json, created_at)
     SELECT ${RUN_ID}, json_build_object('artifact', repeat('a', 800)), ${AT('i * 30 + 1')} FROM generate_series(0, $1 - 1, 10) AS i`,
  ],
  [
    'dpm_async_operations',
    (n) => Math.floor(n / 5),
    `INSERT INTO dpm_async_operations (operation_id, operation_type, status, correlation_id, created_at, started_at, finished_at, result_json, request_json)
     SELECT 'op_' || lpad(to_hex(i), 24, '0'), CASE WHEN i % 3 = 0 THEN 'ANALYZE_SCENARIOS' ELSE 'SIMULATE' END,
       CASE WHEN i >= $1 - 20 THEN 'PENDING' WHEN i % 17 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END, 'opcorr_' || i, ${AT('i * 150')},
       CASE WHEN i >= $1 - 20 THEN NULL ELSE ${AT('i * 150 + 1')} END, CASE WHEN i >= $1 - 20 THEN NULL ELSE ${AT('i * 150 + 2')} END,
       '{"ok":true}'::json, '{"scenarios":{}}'::jsonb
     FROM generate_series(0, $1 - 1) AS i`,
  ],
  [
    'dpm_workflow_decisions',
    (n) => n,
    `INSERT INTO dpm_workflow_decisions (decision_id, run_id, action, reason_code, comment, actor_id, decided_at, correlation_id, decision_seq)
     SELECT 'wd_' || s || '_' || i, ${RUN_ID}, (ARRAY['APPROVE','REJECT','REQUEST_CHANGES'])[1 + (i + s) % 3], 'REASON_' || (i % 7), NULL,
       'actor_' || (i % 50), ${AT('i * 30 + 60 * s')}, 'dcorr_' || i, s
     FROM generate_series(0, $1 - 1, 3) AS i, generate_series(1, CASE WHEN i % 9 = 0 THEN 2 ELSE 1 END) AS s`,
  ],
  [
    'proposal_records',
    (n) => Math.floor(n / 3),
    `INSERT INTO proposal_records (proposal_id, portfolio_id, created_by, created_at, last_event_at, current_state, current_version_no, title, row_version)
     SELECT ${PROPOSAL_ID}, 'pf_' || (i % 500), 'advisor_' || (i % 40), ${AT('i * 90')}, ${AT('i * 90 + 60')}, ${STATES},
       CASE WHEN i % 4 = 0 THEN 2 ELSE 1 END, 'Proposal ' || i, 2
     FROM generate_series(0, $1 - 1) AS i`,
  ],
  [
    'proposal_versions',
    (n) => Math.floor(n / 3),
    `INSERT INTO proposal_versions (proposal_version_id, proposal_id, version_no, created_at, request_hash, artifact_hash, simulation_hash,
       status_at_creation, proposal_result_json, artifact_json, evidence_bundle_json)
     SELECT 'pv_' || i || '_' || v, ${PROPOSAL_ID}, v, ${AT('i * 90 + v')}, 'sha256:r' || i, 'sha256:a' || i, 'sha256:s' || i, 'READY',
       json_build_object('result', repeat('p', 1500)), json_build_object('artifact', repeat('a', 1500)), '{}'::json
     FROM generate_series(0, $1 - 1) AS i, generate_series(1, CASE WHEN i % 4 = 0 THEN 2 ELSE 1 END) AS v`,
  ],
  [
    'proposal_workflow_events',
    (n) => Math.floor(n / 3),
    `INSERT INTO proposal_workflow_events (event_id, proposal_id, event_type, from_state, to_state, actor_id, occurred_at, reason_json, sequence_no)
     SELECT 'pe_' || i || '_' || s, ${PROPOSAL_ID}, CASE WHEN s = 1 THEN 'CREATED' ELSE 'SUBMITTED_FOR_RISK_REVIEW' END,
       CASE WHEN s = 1 THEN NULL ELSE 'DRAFT' END, CASE WHEN s = 1 THEN 'DRAFT' ELSE 'RISK_REVIEW' END, 'advisor_' || (i % 40),
       ${AT('i * 90 + s')}, '{}'::jsonb, s
     FROM generate_series(0, $1 - 1) AS i, generate_series(1, 1 + i % 2) AS s`,
  ],
  [
    'proposal_approvals',
    (n) => Math.floor(n / 3),
    `INSERT INTO proposal_approvals (approval_id, proposal_id, approval_type, approved, actor_id, occurred_at, details_json, sequence_no)
     SELECT 'pa_' || i, ${PROPOSAL_ID}, 'RISK', true, 'risk_' || (i % 10), ${AT('i * 90 + 30')}, '{}'::jsonb, 1
     FROM generate_series(0, $1 - 1, 4) AS i`,
  ],
  [
    'proposal_idempotency',
    (n) => Math.floor(n / 3),
    `INSERT INTO proposal_idempotency (idempotency_key, request_hash, proposal_id, proposal_version_no, created_at)
     SELECT 'pkey_' || i, 'sha256:r' || i, ${PROPOSAL_ID}, 1, ${AT('i * 90')} FROM generate_series(0, $1 - 1) AS i`,
  ],
  [
    'proposal_async_operations',
    (n) => Math.floor(n / 15),
    `INSERT INTO proposal_async_operations (operation_id, operation_type, status, correlation_id, idempotency_key, created_by, created_at, request_json)
     SELECT 'pop_' || lpad(to_hex(i), 24, '0'), 'CREATE_PROPOSAL', CASE WHEN i >= $1 - 20 THEN 'PENDING' ELSE 'SUCCEEDED' END,
       'popcorr_' || i, 'pokey_' || i, 'advisor_' || (i % 40), ${AT('i * 450')}, '{}'::jsonb
     FROM generate_series(0, $1 - 1) AS i`,
  ],
  [
    'proposal_async_idempotency',
    (n) => Math.floor(n / 15),
    `INSERT INTO proposal_async_idempotency (idempotency_key, request_hash, operation_id, created_at)
     SELECT 'pokey_' || i, 'sha256:o' || i, 'pop_' || lpad(to_hex(i), 24, '0'), ${AT('i * 450')} FROM generate_series(0, $1 - 1) AS i`,
  ],
  [
    'proposal_simulation_idempotency',
    (n) => Math.floor(n / 3),
    `INSERT INTO proposal_simulation_idempotency (endpoint, idempotency_key, request_hash, response_json, created_at)
     SELECT CASE WHEN i % 3 = 0 THEN 'ARTIFACT' ELSE 'SIMULATE' END, 'skey_' || i, 'sha256:q' || i, json_build_object('r', repeat('s', 1500)), ${AT('i * 60')}
     FROM generate_series(0, $1 - 1) AS i`,
  ],
];

/** Populates every table and ANALYZEs; returns the row count of each table. */
export async function populate(client: pg.ClientBase, runs: number): Promise<Record<string, number>> {
  for (const [, rows, sql] of STATEMENTS) await client.query(sql, rows ? [rows(runs), T0] : []);
  await client.query('ANALYZE');
  const counts: Record<string, number> = {};
  for (const [table] of STATEMENTS) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}
