/**
 * Async proposal creates and versions on two real service processes sharing PostgreSQL: 24
 * concurrent submissions with one Idempotency-Key over both replicas make exactly one operation
 * (decided by the database), and every caller receives that operation's 202, byte for byte.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { startService, type RunningService } from '../support/service-process.ts';

const request = (conformanceVector('advisory', 'scenario_14A_advisory_manual_trade_cashflow') as { request: Record<string, unknown> }).request;
const body = (createdBy = 'advisor_1') => ({ created_by: createdBy, simulate_request: request, metadata: { title: 'Async race' } });

interface Answer {
  readonly status: number;
  readonly replay: string | null;
  readonly text: string;
}

async function post(service: RunningService, path: string, key: string, payload: unknown, correlation: string): Promise<Answer> {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-correlation-id': correlation },
    body: JSON.stringify(payload),
  });
  return { status: response.status, replay: response.headers.get('idempotent-replay'), text: await response.text() };
}

describe('async proposal submissions with one Idempotency-Key on two replicas (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let replicas: [RunningService, RunningService];

  const race = (path: string, key: string, payload: unknown): Promise<Answer[]> =>
    Promise.all(Array.from({ length: 24 }, (_, i) => post(replicas[i % 2] as RunningService, path, key, payload, `corr-${key}-${i}`)));

  const finished = async (operationId: string): Promise<Record<string, unknown>> => {
    let status: Record<string, unknown> = {};
    await expect
      .poll(
        async () => {
          status = (await (await fetch(`${replicas[0].baseUrl}/rebalance/proposals/operations/${operationId}`)).json()) as Record<string, unknown>;
          return status['status'];
        },
        { timeout: 20_000 },
      )
      .toBe('SUCCEEDED');
    return status;
  };

  /** Every caller got the same 202; exactly one of them is not a replay. */
  const expectOneAcceptance = (answers: Answer[]): Record<string, unknown> => {
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 24 }, () => 202));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.replay !== 'true')).toHaveLength(1);
    return JSON.parse(answers[0]!.text) as Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await freshDatabase();
    const env = { PROPOSAL_STORE_BACKEND: 'POSTGRES', PROPOSAL_POSTGRES_DSN: database.dsn };
    const first = await startService(env);
    replicas = [first, await startService(env)];
    db = new pg.Client({ connectionString: database.dsn });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await database.drop();
  });

  it('24 concurrent async creates → one operation, one proposal; a different request with the key is 409', async () => {
    const accepted = expectOneAcceptance(await race('/rebalance/proposals/async', 'async-create-1', body()));
    expect(accepted).toMatchObject({ operation_type: 'CREATE_PROPOSAL', status: 'PENDING' });
    const rows = await db.query('SELECT operation_id FROM proposal_async_operations WHERE idempotency_key = $1', ['async-create-1']);
    expect(rows.rows).toEqual([{ operation_id: accepted['operation_id'] }]);

    const status = await finished(accepted['operation_id'] as string);
    expect((await db.query('SELECT count(*)::int AS n FROM proposal_records')).rows[0]).toEqual({ n: 1 });
    expect((status['result'] as { proposal: { proposal_id: string } }).proposal.proposal_id).toBe(status['proposal_id']);

    // The key keeps answering the first 202 afterwards, and refuses another request.
    const later = await post(replicas[1], '/rebalance/proposals/async', 'async-create-1', body(), 'corr-later');
    expect([later.status, later.replay, JSON.parse(later.text)]).toEqual([202, 'true', accepted]);
    const other = await post(replicas[0], '/rebalance/proposals/async', 'async-create-1', body('advisor_2'), 'corr-other');
    expect([other.status, JSON.parse(other.text).code]).toEqual([409, 'IDEMPOTENCY_KEY_CONFLICT']);
    expect((await db.query('SELECT count(*)::int AS n FROM proposal_async_operations')).rows[0]).toEqual({ n: 1 });
  });

  it('24 concurrent async versions with one key → one operation, one new version', async () => {
    const created = expectOneAcceptance(await race('/rebalance/proposals/async', 'async-create-2', body()));
    const proposalId = (await finished(created['operation_id'] as string))['proposal_id'] as string;

    const versionPath = `/rebalance/proposals/${proposalId}/versions/async`;
    const accepted = expectOneAcceptance(await race(versionPath, 'async-version-1', { created_by: 'advisor_1', simulate_request: request }));
    expect(accepted).toMatchObject({ operation_type: 'CREATE_PROPOSAL_VERSION', status: 'PENDING' });
    const rows = await db.query("SELECT operation_id FROM proposal_async_operations WHERE operation_type = 'CREATE_PROPOSAL_VERSION'");
    expect(rows.rows).toEqual([{ operation_id: accepted['operation_id'] }]);

    await finished(accepted['operation_id'] as string);
    const versions = await db.query('SELECT version_no FROM proposal_versions WHERE proposal_id = $1 ORDER BY version_no', [proposalId]);
    expect(versions.rows).toEqual([{ version_no: 1 }, { version_no: 2 }]);
  });
});
