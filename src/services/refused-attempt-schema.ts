/**
 * The refused attempts of a proposal or a run (docs/security.md#four-eyes), one schema for both.
 */
import { Type } from '@sinclair/typebox';

const ATTEMPT_EXAMPLE = {
  attempt_id: 'rfa_0a1b2c3d4e5fa0b1c2d3e4f5',
  action: 'APPROVAL:RISK',
  actor_id: 'alice@example.com',
  reason_code: 'SEGREGATION_OF_DUTIES_VIOLATION',
  attempted_at: '2026-11-25T09:30:00.000Z',
  correlation_id: 'corr_3f2a9c1b7d4e',
  details: { related_version_no: 1, authors: ['alice@example.com'] },
};

export const RefusedAttemptSchema = Type.Object(
  {
    attempt_id: Type.String(),
    action: Type.String({ description: 'What was attempted: APPROVAL:<type>, TRANSITION:<event> or WORKFLOW:<action>.' }),
    actor_id: Type.String({ description: 'The verified subject who attempted it.' }),
    reason_code: Type.String({ description: 'Why it was refused, e.g. SEGREGATION_OF_DUTIES_VIOLATION.' }),
    attempted_at: Type.String(),
    correlation_id: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown(), { description: 'What the refusal was based on, e.g. the authors.' }),
  },
  { title: 'RefusedAttempt' },
);

export const RunRefusedAttemptsSchema = Type.Object(
  { run_id: Type.String(), refused_attempts: Type.Array(RefusedAttemptSchema, { description: 'Oldest first.' }) },
  { title: 'DpmRunRefusedAttemptsResponse', examples: [{ run_id: 'rr_0a1b2c3d4e5fa0b1c2d3e4f5', refused_attempts: [{ ...ATTEMPT_EXAMPLE, action: 'WORKFLOW:APPROVE' }] }] },
);

export const ProposalRefusedAttemptsSchema = Type.Object(
  { proposal_id: Type.String(), refused_attempts: Type.Array(RefusedAttemptSchema, { description: 'Oldest first.' }) },
  { title: 'ProposalRefusedAttemptsResponse', examples: [{ proposal_id: 'pp_0a1b2c3d4e5fa0b1c2d3e4f5', refused_attempts: [ATTEMPT_EXAMPLE] }] },
);
