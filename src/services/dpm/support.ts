/**
 * The read side of the DPM supportability API (docs/dpm-api.md#runs-and-lookups): run listing, runs
 * resolved by id / correlation / idempotency key with their own not-found codes, lineage,
 * idempotency history and the summary, in the reference's response shapes.
 *
 * Lists page with the store's opaque keyset cursors: an edited or foreign cursor is a 400
 * DPM_SUPPORTABILITY_INVALID_CURSOR, not the reference's silent empty page.
 */
import type { Static } from '@sinclair/typebox';
import type { DpmStoreBackend } from '../../config/dpm-settings.ts';
import { ReasonError } from '../../config/reason-codes.ts';
import type { DpmRunStore, LineageEdge, LineageFilter, RunFilter, RunRecord } from '../../stores/dpm-runs/port.ts';
import type { IdempotencyHistorySchema, IdempotencyMappingSchema, LineageSchema, RunListSchema, SummarySchema } from './wire-schemas.ts';

export type RunList = Static<typeof RunListSchema>;
export type Lineage = Static<typeof LineageSchema>;
export type EdgeView = Lineage['edges'][number];
export type IdempotencyHistory = Static<typeof IdempotencyHistorySchema>;
export type Summary = Static<typeof SummarySchema>;
export type IdempotencyMapping = Static<typeof IdempotencyMappingSchema>;

/** The largest page the store is asked for when a caller wants everything (bundles). */
const FULL_PAGE = 200;

// Reason codes ending in _NOT_FOUND answer 404 through the common error mapping.
export function runNotFound(): ReasonError {
  return new ReasonError('DPM_RUN_NOT_FOUND', 'No run matches.');
}

export function idempotencyKeyNotFound(): ReasonError {
  return new ReasonError('DPM_IDEMPOTENCY_KEY_NOT_FOUND', 'No run was recorded with this idempotency key.');
}

/** The reference's lineage edge shape (`metadata`, no internal edge id). */
export function edgeView(edge: LineageEdge): EdgeView {
  return {
    source_entity_id: edge.source_entity_id,
    edge_type: edge.edge_type,
    target_entity_id: edge.target_entity_id,
    created_at: edge.created_at,
    metadata: edge.metadata_json ?? {},
  };
}

export interface DpmSupportService {
  /** A run by id; 404 DPM_RUN_NOT_FOUND. */
  runById(runId: string): Promise<RunRecord>;
  /** The latest run of a correlation id; 404 DPM_RUN_NOT_FOUND. */
  runByCorrelation(correlationId: string): Promise<RunRecord>;
  /** The latest run of a request hash; 404 DPM_RUN_NOT_FOUND. */
  runByRequestHash(requestHash: string): Promise<RunRecord>;
  /** The run the key currently maps to; 404 DPM_IDEMPOTENCY_KEY_NOT_FOUND, then DPM_RUN_NOT_FOUND. */
  runByIdempotencyKey(key: string): Promise<RunRecord>;
  /** The key's current mapping (the last run recorded with it); 404 DPM_IDEMPOTENCY_KEY_NOT_FOUND. */
  idempotencyMapping(key: string): Promise<IdempotencyMapping>;
  listRuns(filter: RunFilter): Promise<RunList>;
  lineage(entityId: string, filter: LineageFilter): Promise<Lineage>;
  /** Every edge of the entity, oldest first (paged through internally). */
  allEdges(entityId: string, filter?: Omit<LineageFilter, 'limit' | 'cursor'>): Promise<LineageEdge[]>;
  /** 404 DPM_IDEMPOTENCY_KEY_NOT_FOUND when the key has no history. */
  idempotencyHistory(key: string): Promise<IdempotencyHistory>;
  /** The history of a key, possibly empty (the support bundle's view). */
  idempotencyHistoryOrEmpty(key: string): Promise<IdempotencyHistory>;
  summary(): Promise<Summary>;
}

export interface DpmSupportSettings {
  /** The backend this process runs on (not re-read per request, so it cannot disagree with the store in use). */
  readonly backend: DpmStoreBackend;
  readonly retentionDays: number;
}

export function createDpmSupportService(deps: { store: DpmRunStore; settings: DpmSupportSettings }): DpmSupportService {
  const { store, settings } = deps;

  async function historyOf(key: string): Promise<IdempotencyHistory> {
    const entries = await store.listIdempotencyHistory(key);
    return {
      idempotency_key: key,
      history: entries.map((e) => ({ rebalance_run_id: e.rebalance_run_id, correlation_id: e.correlation_id, request_hash: e.request_hash, created_at: e.created_at })),
    };
  }

  return {
    async runById(runId) {
      const run = await store.getRun(runId);
      if (!run) throw runNotFound();
      return run;
    },
    async runByCorrelation(correlationId) {
      const run = await store.getRunByCorrelation(correlationId);
      if (!run) throw runNotFound();
      return run;
    },
    async runByRequestHash(requestHash) {
      const run = await store.getRunByRequestHash(requestHash);
      if (!run) throw runNotFound();
      return run;
    },
    async idempotencyMapping(key) {
      const mapping = await store.getIdempotencyMapping(key);
      if (!mapping) throw idempotencyKeyNotFound();
      return mapping;
    },
    async runByIdempotencyKey(key) {
      const mapping = await store.getIdempotencyMapping(key);
      if (!mapping) throw idempotencyKeyNotFound();
      const run = await store.getRun(mapping.rebalance_run_id);
      if (!run) throw runNotFound();
      return run;
    },

    async listRuns(filter) {
      const page = await store.listRuns(filter);
      return {
        items: page.items.map((run) => ({
          rebalance_run_id: run.rebalance_run_id,
          correlation_id: run.correlation_id,
          request_hash: run.request_hash,
          idempotency_key: run.idempotency_key,
          portfolio_id: run.portfolio_id,
          status: run.status,
          created_at: run.created_at,
        })),
        next_cursor: page.nextCursor,
      };
    },

    async lineage(entityId, filter) {
      const page = await store.listLineageEdges(entityId, filter);
      return { entity_id: entityId, edges: page.items.map(edgeView), next_cursor: page.nextCursor };
    },
    async allEdges(entityId, filter = {}) {
      const edges: LineageEdge[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listLineageEdges(entityId, { ...filter, limit: FULL_PAGE, cursor });
        edges.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return edges;
    },

    async idempotencyHistory(key) {
      const view = await historyOf(key);
      if (view.history.length === 0) throw idempotencyKeyNotFound();
      return view;
    },
    idempotencyHistoryOrEmpty: historyOf,

    async summary() {
      return { store_backend: settings.backend, retention_days: settings.retentionDays, ...(await store.summary()) };
    },
  };
}
