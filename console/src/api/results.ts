/**
 * Types of the engine results the run and proposal pages read. The OpenAPI document describes
 * these bodies only as "a RebalanceResult" / "a ProposalResult" today, so they are taken (types
 * only, nothing at run time) from the schemas the service serialises them with; once the document
 * publishes them as components, they come from ./schema like every other type.
 */
export type { RebalanceResult, IntentOut } from '../../../src/domain/dpm/model/result-schema.ts';
export type { ProposalResult } from '../../../src/domain/advisory/model/result-schema.ts';
