/**
 * The advisory proposal store and lifecycle API (docs/advisory.md#flags, docs/configuration.md):
 * backend and where it keeps its data, the switches, and the async worker.
 */
import { dsnVariable, enumVariable, flagVariable, integerVariable, textVariable, type ValuesOf } from './variables.ts';
import { PROPOSAL_FEATURE_VARIABLES } from './feature-flags.ts';

export type ProposalStoreBackend = 'IN_MEMORY' | 'SQLITE' | 'POSTGRES';

export interface ProposalStoreSettings {
  readonly backend: ProposalStoreBackend;
  readonly postgresDsn: string;
  readonly sqlitePath: string;
}

export interface ProposalLifecycleSettings {
  readonly lifecycleEnabled: boolean;
  readonly supportApisEnabled: boolean;
  readonly asyncOperationsEnabled: boolean;
  readonly storeEvidenceBundle: boolean;
  readonly requireExpectedState: boolean;
  readonly allowPortfolioChangeOnNewVersion: boolean;
  readonly requireSimulationFlag: boolean;
  readonly asyncWorkerEnabled: boolean;
  readonly asyncPollMs: number;
  readonly asyncLeaseMs: number;
}

export const PROPOSAL_VARIABLES = {
  proposalBackend: enumVariable({
    name: 'PROPOSAL_STORE_BACKEND',
    description: 'Where advisory proposals, versions, events and approvals are kept.',
    values: ['IN_MEMORY', 'SQLITE', 'POSTGRES'],
    defaultValue: 'IN_MEMORY',
    invalidCode: 'PROPOSAL_STORE_BACKEND_INVALID',
  }),
  proposalDsn: dsnVariable({
    name: 'PROPOSAL_POSTGRES_DSN',
    description: 'PostgreSQL DSN of the proposal store (required with POSTGRES).',
    invalidCode: 'PROPOSAL_POSTGRES_DSN_INVALID',
    requiredCode: 'PROPOSAL_POSTGRES_DSN_REQUIRED',
  }),
  proposalSqlitePath: textVariable({
    name: 'PROPOSAL_SQLITE_PATH',
    description: 'SQLite file of the proposal store (backend SQLITE).',
    defaultValue: '.data/proposals.db',
    allowed: 'file path (parent folder is created)',
  }),
  ...PROPOSAL_FEATURE_VARIABLES,
  proposalStoreEvidence: flagVariable({
    name: 'PROPOSAL_STORE_EVIDENCE_BUNDLE',
    description: 'Keep the artifact evidence bundle (inputs and engine outputs) with each proposal version; off stores `{}` and an artifact without it.',
    defaultValue: true,
  }),
  proposalRequireExpectedState: flagVariable({
    name: 'PROPOSAL_REQUIRE_EXPECTED_STATE',
    description: 'Transitions and approvals must carry expected_state (409 STATE_CONFLICT without it).',
    defaultValue: true,
  }),
  proposalAllowPortfolioChange: flagVariable({
    name: 'PROPOSAL_ALLOW_PORTFOLIO_CHANGE_ON_NEW_VERSION',
    description: 'Allow a new proposal version for another portfolio_id (otherwise 422 PORTFOLIO_CONTEXT_MISMATCH).',
    defaultValue: false,
  }),
  proposalRequireSimulationFlag: flagVariable({
    name: 'PROPOSAL_REQUIRE_SIMULATION_FLAG',
    description: 'Proposal creates and versions require options.enable_proposal_simulation=true (otherwise 422 PROPOSAL_SIMULATION_DISABLED).',
    defaultValue: true,
  }),
  proposalAsyncWorkerEnabled: flagVariable({
    name: 'PROPOSAL_ASYNC_WORKER_ENABLED',
    description:
      'Run accepted async proposal operations in this process. Off: the process only accepts them and another replica (or a restart) runs them.',
    defaultValue: true,
  }),
  proposalAsyncPollMs: integerVariable({
    name: 'PROPOSAL_ASYNC_POLL_MS',
    description: 'How often an idle async worker looks for operations accepted by any replica (or left behind by a dead one).',
    defaultValue: 500,
    min: 10,
    max: 60_000,
  }),
  proposalAsyncLeaseMs: integerVariable({
    name: 'PROPOSAL_ASYNC_LEASE_MS',
    description: 'Lease of a running async proposal operation; renewed while it runs, taken over by another worker once it lapses (its worker died).',
    defaultValue: 30_000,
    min: 100,
    max: 3_600_000,
  }),
} as const;

type ProposalValues = ValuesOf<typeof PROPOSAL_VARIABLES>;

export function proposalStoreSettings(v: ProposalValues): ProposalStoreSettings {
  return { backend: v.proposalBackend, postgresDsn: v.proposalDsn, sqlitePath: v.proposalSqlitePath };
}

export function proposalLifecycleSettings(v: ProposalValues): ProposalLifecycleSettings {
  return {
    lifecycleEnabled: v['proposalFeature.lifecycle'],
    supportApisEnabled: v['proposalFeature.support'],
    asyncOperationsEnabled: v['proposalFeature.async'],
    storeEvidenceBundle: v.proposalStoreEvidence,
    requireExpectedState: v.proposalRequireExpectedState,
    allowPortfolioChangeOnNewVersion: v.proposalAllowPortfolioChange,
    requireSimulationFlag: v.proposalRequireSimulationFlag,
    asyncWorkerEnabled: v.proposalAsyncWorkerEnabled,
    asyncPollMs: v.proposalAsyncPollMs,
    asyncLeaseMs: v.proposalAsyncLeaseMs,
  };
}
