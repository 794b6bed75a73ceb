/**
 * SQLITE and POSTGRES catalog: one set of queries on the shared SqlExecutor, behind a cache
 * that is correct across replicas.
 *
 * Cache contract (documented in docs/policy-packs.md):
 * - A snapshot of the whole table is kept in memory; reads (simulate, catalog routes) are
 *   served from it.
 * - At most once per `cacheTtlMs` a read runs a change probe: every pack's id, revision and
 *   timestamps (no definitions). Every upsert bumps the revision, a delete removes a row, a
 *   re-create gets new timestamps, so any committed change by any replica changes the probe.
 *   Only then is the table (definitions included) reloaded. A one-row summary (count, sum of
 *   revisions, max timestamps) is not enough: the timestamps come from each replica's clock,
 *   so a rename (delete + create) by a replica whose clock is behind leaves it unchanged.
 * - This replica's own writes drop the snapshot at once (read-your-writes).
 * - Bound: another replica's committed change is visible here at most `cacheTtlMs` (+ the
 *   probe and reload time) after its commit.
 * The probe runs BEFORE the reload: a write landing between the two only causes one extra
 * reload later, never a missed change.
 */
import { ReasonError } from '../../config/reason-codes.ts';
import { describeProblems, parsePolicyPackDefinition, type PolicyPackDefinition } from '../../domain/policy-packs/model.ts';
import type { Row, SqlExecutor } from '../sql/executor.ts';
import { buildSnapshot, type PolicyPackCatalog, type PolicyPackCatalogSnapshot, type StoredPolicyPack } from './port.ts';

export const DEFAULT_CACHE_TTL_MS = 1000;

export interface SqlPolicyPackCatalogOptions {
  readonly backend: 'SQLITE' | 'POSTGRES';
  /** Longest time a read may serve the cached snapshot without probing (ms, >= 0). */
  readonly cacheTtlMs?: number;
  /** Milliseconds since the epoch; injected by tests. Also stamps created_at/updated_at. */
  readonly now?: () => number;
}

export interface SqlPolicyPackCatalog extends PolicyPackCatalog {
  /** How many times the table was (re)loaded; for tests and metrics. */
  readonly stats: { readonly probes: number; readonly loads: number };
  close(): Promise<void>;
}

// Catalogs hold tens to hundreds of packs: these narrow rows are cheap, and exact.
const PROBE_SQL = 'SELECT policy_pack_id, version, created_at, updated_at FROM dpm_policy_packs ORDER BY policy_pack_id';

const LOAD_SQL = 'SELECT policy_pack_id, version, definition_json, created_at, updated_at FROM dpm_policy_packs';

const UPSERT_SQL = `INSERT INTO dpm_policy_packs (policy_pack_id, version, definition_json, created_at, updated_at)
VALUES ($1, 1, $2, $3, $3)
ON CONFLICT (policy_pack_id) DO UPDATE SET
  version = dpm_policy_packs.version + 1,
  definition_json = excluded.definition_json,
  updated_at = excluded.updated_at
RETURNING version, created_at, updated_at`;

const DELETE_SQL = 'DELETE FROM dpm_policy_packs WHERE policy_pack_id = $1';

interface PackRow extends Row {
  policy_pack_id: string;
  version: number | string;
  definition_json: unknown;
  created_at: string;
  updated_at: string;
}

function toStored(row: PackRow): StoredPolicyPack {
  const parsed = parsePolicyPackDefinition(row.policy_pack_id, row.definition_json);
  if (!parsed.ok) {
    throw new ReasonError('DPM_POLICY_PACK_DEFINITION_INVALID', `Stored pack ${JSON.stringify(row.policy_pack_id)} is invalid: ${describeProblems(parsed.problems)}`, {
      details: [row.policy_pack_id],
    });
  }
  return { definition: parsed.value, revision: Number(row.version), created_at: String(row.created_at), updated_at: String(row.updated_at) };
}

interface CacheState {
  readonly snapshot: PolicyPackCatalogSnapshot;
  readonly fingerprint: string;
  checkedAt: number;
  readonly generation: number;
}

export function createSqlPolicyPackCatalog(executor: SqlExecutor, options: SqlPolicyPackCatalogOptions): SqlPolicyPackCatalog {
  const ttl = Math.max(0, options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS);
  const now = options.now ?? Date.now;
  const stats = { probes: 0, loads: 0 };
  let state: CacheState | null = null;
  /** Bumped by this replica's writes: a refresh started before a write must not be served after it. */
  let generation = 0;
  let inflight: { generation: number; promise: Promise<PolicyPackCatalogSnapshot> } | null = null;

  const probe = async (): Promise<string> => {
    stats.probes += 1;
    const rows = await executor.query(PROBE_SQL);
    return JSON.stringify(rows.map((row) => [row['policy_pack_id'], String(row['version']), String(row['created_at']), String(row['updated_at'])]));
  };

  const refresh = async (startGeneration: number): Promise<PolicyPackCatalogSnapshot> => {
    const checkedAt = now();
    const fingerprint = await probe();
    let snapshot: PolicyPackCatalogSnapshot;
    if (state && state.generation === startGeneration && state.fingerprint === fingerprint) {
      snapshot = state.snapshot;
    } else {
      stats.loads += 1;
      const rows = await executor.query<PackRow>(LOAD_SQL);
      snapshot = buildSnapshot(rows.map(toStored));
    }
    if (generation === startGeneration) state = { snapshot, fingerprint, checkedAt, generation: startGeneration };
    return snapshot;
  };

  const snapshot = async (): Promise<PolicyPackCatalogSnapshot> => {
    for (;;) {
      const current = state;
      if (current && current.generation === generation && now() - current.checkedAt < ttl) return current.snapshot;
      if (!inflight || inflight.generation !== generation) {
        const started = generation;
        const promise = refresh(started).finally(() => {
          if (inflight?.promise === promise) inflight = null;
        });
        inflight = { generation: started, promise };
      }
      const waitedFor = inflight.generation;
      const result = await inflight.promise;
      // A write of ours landed while we waited: go round again for a snapshot that includes it.
      if (waitedFor === generation) return result;
    }
  };

  const invalidate = (): void => {
    generation += 1;
    state = null;
  };

  return {
    backend: options.backend,
    writable: true,
    stats,
    snapshot,
    list: async () => (await snapshot()).sorted,
    get: async (id) => (await snapshot()).packs.get(id) ?? null,
    async upsert(definition: PolicyPackDefinition) {
      const at = new Date(now()).toISOString();
      try {
        const [row] = await executor.query<{ version: number | string; created_at: string; updated_at: string }>(UPSERT_SQL, [
          definition.policy_pack_id,
          JSON.stringify(definition),
          at,
        ]);
        if (!row) throw new Error('upsert returned no row');
        return { definition, revision: Number(row.version), created_at: String(row.created_at), updated_at: String(row.updated_at) };
      } finally {
        invalidate();
      }
    },
    async delete(id: string) {
      try {
        return (await executor.execute(DELETE_SQL, [id])) > 0;
      } finally {
        invalidate();
      }
    },
    close: () => executor.close(),
  };
}
