/**
 * OpenAPI/response schemas of the reproduce routes (docs/dpm-api.md#reproducing-a-run,
 * docs/advisory.md#reproducing-a-version), with examples. Recorded and reproduced values in a
 * difference are any JSON (`Type.Unknown`), passed through as computed.
 */
import { Type, type TProperties } from '@sinclair/typebox';
import { Nullable } from '../domain/portfolio/schema-kit.ts';

const ENGINE_RECORDED = '0.1.0+4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const ENGINE_NOW = '0.2.0+9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';

const DifferenceSchema = Type.Object({
  path: Type.String({ description: 'Where the values differ, e.g. intents[3].quantity or $ for the whole value.' }),
  change: Type.Union([Type.Literal('CHANGED'), Type.Literal('ADDED'), Type.Literal('REMOVED')], {
    description: 'CHANGED: both sides have the path; REMOVED: only the recorded value; ADDED: only the reproduced value.',
  }),
  recorded: Type.Optional(Type.Unknown({ description: 'The recorded value (a large one is described as {"omitted": "…"}).' })),
  reproduced: Type.Optional(Type.Unknown({ description: "Today's engine's value." })),
});

const ProblemSchema = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });

/** The fields every report has, after its own identity fields. */
const COMPARISON: TProperties = {
  verdict: Type.Union([Type.Literal('IDENTICAL'), Type.Literal('DIFFERENT'), Type.Literal('REQUEST_REJECTED')], {
    description: "REQUEST_REJECTED: today's validation refuses the recorded request (see request_problems); nothing was run.",
  }),
  identical: Type.Boolean({ description: "Today's engine gives exactly the recorded result." }),
  recorded_engine_version: Type.String({ description: 'The build that computed the recorded result (<version>+<git commit>).' }),
  current_engine_version: Type.String({ description: 'The build that answered now.' }),
  difference_count: Type.Integer({ description: 'Every difference found.' }),
  differences: Type.Array(DifferenceSchema, { description: 'The first 100 differences, in document order.' }),
  differences_truncated: Type.Boolean({ description: 'More differences than listed.' }),
  request_problems: Type.Array(ProblemSchema, { description: 'Why the recorded request is refused today (REQUEST_REJECTED only).' }),
};

const DIFFERENT_EXAMPLE = {
  verdict: 'DIFFERENT',
  identical: false,
  recorded_engine_version: ENGINE_RECORDED,
  current_engine_version: ENGINE_NOW,
  difference_count: 2,
  differences: [
    { path: 'intents[0].quantity', change: 'CHANGED', recorded: '120', reproduced: '119' },
    { path: 'diagnostics.warnings[1]', change: 'ADDED', reproduced: 'CASH_BAND_BREACH' },
  ],
  differences_truncated: false,
  request_problems: [],
};

export const RunReproductionSchema = Type.Object(
  {
    rebalance_run_id: Type.String(),
    request_hash: Type.String(),
    request_hash_verified: Nullable(
      Type.Boolean({ description: 'The recorded request text still hashes to request_hash; null for analyze scenario runs (their hash is <batch_run_id>:<scenario>).' }),
    ),
    policy_pack: Nullable(Type.Object({ policy_pack_id: Type.String(), version: Nullable(Type.String()) }, { description: 'The pack whose overrides the run ran under.' })),
    ...COMPARISON,
  },
  {
    description: 'DpmRunReproduction',
    examples: [
      {
        rebalance_run_id: 'rr_3f9a0c1d2e4b5a6978c0d1e2',
        request_hash: 'sha256:9f2c0d6b1e7a4c3f8b5d2e1a0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b',
        request_hash_verified: true,
        policy_pack: { policy_pack_id: 'conservative', version: '3' },
        ...DIFFERENT_EXAMPLE,
      },
    ],
  },
);

export const VersionReproductionSchema = Type.Object(
  {
    proposal_id: Type.String(),
    version_no: Type.Integer(),
    proposal_version_id: Type.String(),
    request_hash: Type.String(),
    ...COMPARISON,
  },
  {
    description: 'ProposalVersionReproduction',
    examples: [
      {
        proposal_id: 'pp_0a1b2c3d4e5f6a7b8c9d0e1f',
        version_no: 2,
        proposal_version_id: 'ppv_1b2c3d4e5f6a7b8c9d0e1f2a',
        request_hash: 'sha256:4b59113e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f',
        ...DIFFERENT_EXAMPLE,
        differences: [{ path: 'proposal_result.drift_analysis.asset_class.drift_total', change: 'CHANGED', recorded: '0.0412', reproduced: '0.0413' }],
        difference_count: 1,
      },
    ],
  },
);
