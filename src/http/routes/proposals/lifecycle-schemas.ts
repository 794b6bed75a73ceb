/**
 * Request schemas of the proposal lifecycle API (docs/advisory.md#routes). Unknown request fields
 * are refused: a misspelt `expected_state` must not silently skip the concurrency check. The
 * `simulate_request` is validated by the advisory engine's own validator (every problem named).
 * What the routes answer is declared beside the services that build it
 * (src/services/proposals/wire-schemas.ts).
 */
import { Type } from '@sinclair/typebox';
import { APPROVAL_TYPES, PROPOSAL_EVENT_TYPES, PROPOSAL_STATES } from '../../../domain/workflow/proposal-state-machine.ts';
import { Cursor, Identifier, Instant, Nullable, Text } from '../../schema-kit.ts';

const Id = (description: string) => Identifier({ minLength: 1, description });
const strict = { additionalProperties: false } as const;

const SimulateRequest = Type.Object({}, { additionalProperties: true, description: 'A ProposalSimulateRequest (see docs/advisory.md).' });
const RelatedVersion = Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 999_999_999, description: 'Defaults to the current version.' })));
const ExpectedState = Type.Optional(
  Nullable(Type.Union(PROPOSAL_STATES.map((s) => Type.Literal(s)), { description: 'Compare-and-set: the state the caller saw (required unless PROPOSAL_REQUIRE_EXPECTED_STATE=false).' })),
);

export const CreateProposalBodySchema = Type.Object(
  {
    created_by: Id('Advisor id.'),
    simulate_request: SimulateRequest,
    metadata: Type.Optional(
      Nullable(
        Type.Object(
          {
            title: Type.Optional(Nullable(Text())),
            advisor_notes: Type.Optional(Nullable(Text())),
            jurisdiction: Type.Optional(Nullable(Identifier())),
            mandate_id: Type.Optional(Nullable(Identifier())),
          },
          strict,
        ),
      ),
    ),
  },
  { ...strict, title: 'ProposalCreateRequest' },
);

export const CreateVersionBodySchema = Type.Object({ created_by: Id('Advisor id.'), simulate_request: SimulateRequest }, { ...strict, title: 'ProposalVersionRequest' });

export const TransitionBodySchema = Type.Object(
  {
    event_type: Type.Union(PROPOSAL_EVENT_TYPES.map((e) => Type.Literal(e))),
    actor_id: Id('Who acts.'),
    related_version_no: RelatedVersion,
    reason: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    expected_state: ExpectedState,
  },
  { ...strict, title: 'ProposalStateTransitionRequest' },
);

export const ApprovalBodySchema = Type.Object(
  {
    approval_type: Type.Union(APPROVAL_TYPES.map((t) => Type.Literal(t))),
    approved: Type.Boolean(),
    actor_id: Id('Who decides.'),
    related_version_no: RelatedVersion,
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    expected_state: ExpectedState,
  },
  { ...strict, title: 'ProposalApprovalRequest' },
);

export const ProposalIdParams = Type.Object({ proposal_id: Identifier() });
export const VersionParams = Type.Object({ proposal_id: Identifier(), version_no: Type.String({ pattern: '^[1-9][0-9]{0,8}$', maxLength: 9, description: '≥ 1' }) });

const Bool = Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], { default: true });
export const IncludeEvidenceQuery = Type.Object({ include_evidence: Type.Optional(Bool) }, strict);

export const ListQuerySchema = Type.Object(
  {
    portfolio_id: Type.Optional(Identifier()),
    state: Type.Optional(Type.Union(PROPOSAL_STATES.map((s) => Type.Literal(s)))),
    created_by: Type.Optional(Identifier()),
    created_from: Type.Optional(Instant('created_at lower bound.')),
    created_to: Type.Optional(Instant('created_at upper bound.')),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1..100.' }),
    cursor: Type.Optional(Cursor('next_cursor of the previous page (opaque; an edited cursor is a 400).')),
  },
  strict,
);

export const trueish = (value: boolean | string | undefined): boolean => value === undefined || value === true || value === 'true';
