/**
 * DPM async operation routes (docs/dpm-api.md#async-operations): list, lookup by id and by
 * correlation id, and manual execute. Gates come first (src/http/feature-gates.ts): SUPPORT then
 * ASYNC for the reads, ASYNC then MANUAL for execute.
 */
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { operationListItem, operationStatus, type DpmOperationService, type OperationStatusPayload } from '../../../services/dpm/operations.ts';
import type { AsyncOperation } from '../../../stores/dpm-runs/port.ts';
import { ReasonError } from '../../../config/reason-codes.ts';
import { TAGS } from '../../openapi/tags.ts';
import { instantOf } from '../../instants.ts';
import { Cursor, Identifier, Instant, Nullable } from '../../schema-kit.ts';
import { requireFeatures, type DpmGates } from '../../feature-gates.ts';
import { LEASE_FIELDS } from '../../../services/operations/lease-schema.ts';

const STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
const StatusEnum = Type.Union(
  STATUSES.map((s) => Type.Literal(s)),
  { description: 'PENDING → RUNNING → SUCCEEDED | FAILED.' },
);

const EXAMPLE_STATUS = {
  operation_id: 'dop_3f2a9c1b7d4ea0b1c2d3e4f5',
  operation_type: 'ANALYZE_SCENARIOS',
  status: 'SUCCEEDED',
  is_executable: false,
  correlation_id: 'corr_1a2b3c4d5e6f7a8b9c0d1e2f',
  created_at: '2026-03-01T09:00:00.000Z',
  started_at: '2026-03-01T09:00:00.004Z',
  finished_at: '2026-03-01T09:00:00.120Z',
  attempts: 1,
  lease_owner: null,
  lease_expires_at: null,
  result: { batch_run_id: 'batch_5e1f0c2a3b4d6e7f8a9b0c1d', results: {}, comparison_metrics: {}, failed_scenarios: {}, warnings: [] },
  error: null,
};

export const OperationStatusSchema = Type.Object(
  {
    operation_id: Type.String(),
    operation_type: Type.String({ description: 'ANALYZE_SCENARIOS' }),
    status: StatusEnum,
    is_executable: Type.Boolean({ description: 'PENDING with a stored request: POST .../execute would run it.' }),
    correlation_id: Type.String(),
    created_at: Type.String(),
    started_at: Nullable(Type.String()),
    finished_at: Nullable(Type.String()),
    ...LEASE_FIELDS,
    result: Type.Unknown({ description: 'The BatchRebalanceResult once SUCCEEDED, else null.' }),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() }, { description: 'Why the operation FAILED (the error class and message).' })),
  },
  { title: 'DpmAsyncOperationStatusResponse', examples: [EXAMPLE_STATUS] },
);

const { result: _result, error: _error, ...EXAMPLE_ITEM } = EXAMPLE_STATUS;
const OperationListSchema = Type.Object(
  {
    items: Type.Array(
      // The reference's order of a list item (correlation_id before is_executable).
      Type.Object({
        operation_id: Type.String(),
        operation_type: Type.String(),
        status: StatusEnum,
        correlation_id: Type.String(),
        is_executable: Type.Boolean(),
        created_at: Type.String(),
        started_at: Nullable(Type.String()),
        finished_at: Nullable(Type.String()),
        ...LEASE_FIELDS,
      }),
    ),
    next_cursor: Nullable(Type.String({ description: 'Opaque; pass as `cursor` for the next page. Null on the last page.' })),
  },
  { title: 'DpmAsyncOperationListResponse', description: 'Newest first.', examples: [{ items: [EXAMPLE_ITEM], next_cursor: null }] },
);

const ListQuery = Type.Object({
  from: Type.Optional(Instant('Created at or after.')),
  to: Type.Optional(Instant('Created at or before.')),
  operation_type: Type.Optional(Identifier()),
  status: Type.Optional(Identifier({ description: 'Exact match, e.g. PENDING.' })),
  correlation_id: Type.Optional(Identifier()),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Cursor('next_cursor of the previous page; a cursor that is not one of ours is 400.')),
});

const OperationParams = Type.Object({ operation_id: Identifier({ examples: ['dop_3f2a9c1b7d4ea0b1c2d3e4f5'] }) });
const CorrelationParams = Type.Object({ correlation_id: Identifier({ examples: ['corr_1a2b3c4d5e6f7a8b9c0d1e2f'] }) });

const STORE_DOWN = 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE';
const READ_GATES = ['DPM_SUPPORT_APIS_DISABLED', 'DPM_ASYNC_OPERATIONS_DISABLED'] as const;

function found(operation: AsyncOperation | null): OperationStatusPayload {
  if (!operation) throw new ReasonError('DPM_ASYNC_OPERATION_NOT_FOUND', 'No async operation matches (or it was purged after its TTL).');
  return operationStatus(operation);
}

export interface DpmOperationRouteDeps {
  readonly operations: DpmOperationService;
  readonly gates: DpmGates;
}

export function dpmOperationRoutes(deps: DpmOperationRouteDeps): FastifyPluginAsync {
  const { operations, gates } = deps;
  const readGate = requireFeatures(gates.support, gates.asyncOperations);
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/rebalance/operations',
      {
        schema: {
          tags: [TAGS.support],
          operationId: 'list_dpm_async_operations_rebalance_operations_get',
          permission: 'runs.read',
          summary: 'List async operations, newest first, with filters and an opaque cursor.',
          querystring: ListQuery,
          response: { 200: OperationListSchema },
          errors: ['DPM_SUPPORTABILITY_INVALID_CURSOR', ...READ_GATES, STORE_DOWN],
        },
        onRequest: readGate,
      },
      async (request) => {
        const q = request.query;
        const page = await operations.list({
          created_from: instantOf(q.from),
          created_to: instantOf(q.to),
          operation_type: q.operation_type,
          status: q.status,
          correlation_id: q.correlation_id,
          limit: q.limit,
          cursor: q.cursor,
        });
        return { items: page.items.map(operationListItem), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/rebalance/operations/by-correlation/:correlation_id',
      {
        schema: {
          tags: [TAGS.support],
          operationId: 'get_dpm_async_operation_by_correlation_rebalance_operations_by_correlation__correlation_id__get',
          permission: 'runs.read',
          summary: 'The latest async operation of a correlation id.',
          params: CorrelationParams,
          response: { 200: OperationStatusSchema },
          errors: ['DPM_ASYNC_OPERATION_NOT_FOUND', ...READ_GATES, STORE_DOWN],
        },
        onRequest: readGate,
      },
      async (request) => found(await operations.getByCorrelation(request.params.correlation_id)),
    );

    app.get(
      '/rebalance/operations/:operation_id',
      {
        schema: {
          tags: [TAGS.support],
          operationId: 'get_dpm_async_operation_rebalance_operations__operation_id__get',
          permission: 'runs.read',
          summary: 'An async operation by id, with its result or error once finished.',
          params: OperationParams,
          response: { 200: OperationStatusSchema },
          errors: ['DPM_ASYNC_OPERATION_NOT_FOUND', ...READ_GATES, STORE_DOWN],
        },
        onRequest: readGate,
      },
      async (request) => found(await operations.get(request.params.operation_id)),
    );

    app.post(
      '/rebalance/operations/:operation_id/execute',
      {
        schema: {
          tags: [TAGS.support],
          operationId: 'execute_dpm_async_operation_rebalance_operations__operation_id__execute_post',
          permission: 'operations.execute',
          summary: 'Run a PENDING operation now and answer with its terminal status.',
          description:
            'The PENDING → RUNNING move is an atomic claim: of concurrent executes exactly one runs the operation, the others get 409 DPM_ASYNC_OPERATION_NOT_EXECUTABLE, as does an operation that is already running or finished.',
          params: OperationParams,
          response: { 200: OperationStatusSchema },
          errors: ['DPM_ASYNC_OPERATION_NOT_FOUND', 'DPM_ASYNC_OPERATION_NOT_EXECUTABLE', 'DPM_ASYNC_OPERATIONS_DISABLED', 'DPM_ASYNC_MANUAL_EXECUTION_DISABLED', STORE_DOWN],
        },
        onRequest: requireFeatures(gates.asyncOperations, gates.manualExecution),
      },
      async (request) => {
        const outcome = await operations.execute(request.params.operation_id);
        if (outcome.outcome === 'not_found') return found(null);
        if (outcome.outcome === 'not_executable') {
          throw new ReasonError('DPM_ASYNC_OPERATION_NOT_EXECUTABLE', `The operation is ${outcome.status}; only a PENDING operation can be executed.`);
        }
        return operationStatus(outcome.operation);
      },
    );
  };
}
