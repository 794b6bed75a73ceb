/** Named views of the generated API types (./schema), for the pages to import. */
import type { paths } from './schema';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Success<Op> = Op extends { responses: infer R } ? (R extends { 200: infer A } ? JsonOf<A> : R extends { 202: infer B } ? JsonOf<B> : never) : never;

/** The JSON body a route answers on success. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = Success<paths[P][M]>;
/** The JSON body a route takes. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type RunListItem = Answer<'/rebalance/runs', 'get'>['items'][number];
export type RunWorkflow = Answer<'/rebalance/runs/{rebalance_run_id}/workflow', 'get'>;
export type WorkflowDecision = Answer<'/rebalance/runs/{rebalance_run_id}/workflow/history', 'get'>['decisions'][number];
export type LineageEdge = Answer<'/rebalance/lineage/{entity_id}', 'get'>['edges'][number];
export type OperationListItem = Answer<'/rebalance/operations', 'get'>['items'][number];
export type OperationStatus = OperationListItem['status'];
export type ProposalSummary = Answer<'/rebalance/proposals', 'get'>['items'][number];
export type ProposalDetail = Answer<'/rebalance/proposals/{proposal_id}', 'get'>;
export type ProposalEvent = Answer<'/rebalance/proposals/{proposal_id}/workflow-events', 'get'>['events'][number];
export type ProposalApproval = Answer<'/rebalance/proposals/{proposal_id}/approvals', 'get'>['approvals'][number];
export type PolicyCatalog = Answer<'/rebalance/policies/catalog', 'get'>;
export type PolicyPack = PolicyCatalog['items'][number];
export type Readiness = Answer<'/health/ready', 'get'>;
export type ProposalCreateBody = RequestBody<'/rebalance/proposals', 'post'>;

/** Every value of a union type, listed once and checked complete by the compiler. */
export function allOf<T extends string>(values: Record<T, true>): T[] {
  return Object.keys(values) as T[];
}

export const OPERATION_STATUSES = allOf<OperationStatus>({ PENDING: true, RUNNING: true, SUCCEEDED: true, FAILED: true });

/** The run statuses the engine produces (the list filter takes any string; these are offered). */
export const RUN_STATUSES = ['READY', 'PENDING_REVIEW', 'BLOCKED'] as const;
