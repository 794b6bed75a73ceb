/**
 * The engines' request and result schemas under the reference's model names, for the OpenAPI
 * document (a titled schema becomes a named component, see document.ts). The engines' own
 * validators judge these bodies; the schemas only document them.
 */
import { ProposalArtifactSchema, ProposalResultSchema, ProposalSimulateRequestSchema } from '../../domain/advisory/index.ts';
import { BatchRebalanceRequestSchema, RebalanceRequestSchema, RebalanceResultSchema } from '../../domain/dpm/index.ts';

export const RebalanceRequest = { ...RebalanceRequestSchema, title: 'RebalanceRequest' };
export const RebalanceResult = { ...RebalanceResultSchema, title: 'RebalanceResult' };
export const BatchRebalanceRequest = { ...BatchRebalanceRequestSchema, title: 'BatchRebalanceRequest' };
export const ProposalSimulateRequest = { ...ProposalSimulateRequestSchema, title: 'ProposalSimulateRequest' };
export const ProposalResult = { ...ProposalResultSchema, title: 'ProposalResult' };
export const ProposalArtifact = { ...ProposalArtifactSchema, title: 'ProposalArtifact' };
