/**
 * Request schemas of the proposal lifecycle API (spec advisory §7.2). Unknown fields are
 * refused: a misspelt `expected_state` must not silently skip the concurrency check. The
 * `simulate_request` is validated by the advisory engine's own validator (every problem named).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { APPROVAL_TYPES, PROPOSAL_EVENT_TYPES, PROPOSAL_STATES } from '../../domain/workflow/proposal-state-machine.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = (description: string) => Type.String({ minLength: 1, description });
const strict = { additionalProperties: false } as const;

const SimulateRequest = Type.Object({}, { additionalProperties: true, description: 'A ProposalSimulateRequest (see docs/advisory.md).' });
const RelatedVersion = Type.Optional(Nullable(Type.Integer({ minimum: 1, description: 'Defaults to the current version.' })));
const ExpectedState = Type.Optional(
  Nullable(Type.Union(PROPOSAL_STATES.map((s) => Type.Literal(s)), { description: 'Compare-and-set: the state the caller saw (required unless PROPOSAL_REQUIRE_EXPECTED_STATE=false).' })),
);

export const CreateProposalBodySchema = Type.Object(
  {
    created_by: Text('Advisor id.'),
    simulate_request: SimulateRequest,
    metadata: Type.Optional(
      Nullable(
        Type.Object(
          {
            title: Type.Optional(Nullable(Type.String())),
            advisor_notes: Type.Optional(Nullable(Type.String())),
            jurisdiction: Type.Optional(Nullable(Type.String())),
            mandate_id: Type.Optional(Nullable(Type.String())),
          },
          strict,
        ),
      ),
    ),
  },
  strict,
);

export const CreateVersionBodySchema = Type.Object({ created_by: Text('Advisor id.'), simulate_request: SimulateRequest }, strict);

export const TransitionBodySchema = Type.Object(
  {
    event_type: Type.Union(PROPOSAL_EVENT_TYPES.map((e) => Type.Literal(e))),
    actor_id: Text('Who acts.'),
    related_version_no: RelatedVersion,
    reason: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    expected_state: ExpectedState,
  },
  strict,
);

export const ApprovalBodySchema = Type.Object(
  {
    approval_type: Type.Union(APPROVAL_TYPES.map((t) => Type.Literal(t))),
    approved: Type.Boolean(),
    actor_id: Text('Who decides.'),
    related_version_no: RelatedVersion,
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    expected_state: ExpectedState,
  },
  strict,
);

export const ProposalIdParams = Type.Object({ proposal_id: Type.String() });

const Bool = Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], { default: true });
export const IncludeEvidenceQuery = Type.Object({ include_evidence: Type.Optional(Bool) }, strict);

/** An ISO-8601 time with an offset: a naive time is ambiguous, and the reference answered it with a 500 (spec §10.10). */
const Instant = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$', description: 'ISO-8601 with offset.' });

export const ListQuerySchema = Type.Object(
  {
    portfolio_id: Type.Optional(Type.String()),
    state: Type.Optional(Type.Union(PROPOSAL_STATES.map((s) => Type.Literal(s)))),
    created_by: Type.Optional(Type.String()),
    created_from: Type.Optional(Instant),
    created_to: Type.Optional(Instant),
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1..100, default 20.' })),
    cursor: Type.Optional(Type.String()),
  },
  strict,
);

export const trueish = (value: boolean | string | undefined): boolean => value === undefined || value === true || value === 'true';
