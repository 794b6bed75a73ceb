/**
 * Request bodies of `POST /rebalance/simulate` (RebalanceRequest) and `POST /rebalance/analyze`
 * (BatchRebalanceRequest), field for field as the reference (docs/engine.md#request-and-result).
 * Their parts are the shared `portfolio/request-schema.ts`.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  EngineOptionsSchema,
  MarketDataSnapshotSchema,
  ModelPortfolioSchema,
  PortfolioSnapshotSchema,
  ShelfEntrySchema,
} from '../../portfolio/request-schema.ts';
import { KEY_MESSAGE_ANNOTATION, Nullable, REFINE_ANNOTATION, WithDefault, type Normalised } from '../../portfolio/schema-kit.ts';

export const RebalanceRequestSchema = Type.Object({
  portfolio_snapshot: PortfolioSnapshotSchema,
  market_data_snapshot: MarketDataSnapshotSchema,
  model_portfolio: ModelPortfolioSchema,
  shelf_entries: Type.Array(ShelfEntrySchema),
  options: EngineOptionsSchema,
});

export const SCENARIO_NAME_PATTERN = '^[a-z0-9_-]{1,64}$';
export const MAX_SCENARIOS = 20;

export const BatchScenarioSchema = Type.Object({
  description: WithDefault(Nullable(Type.String()), null),
  options: WithDefault(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'EngineOptions, validated per scenario when the batch runs (INVALID_OPTIONS).',
    }),
    {},
  ),
});

export const BatchRebalanceRequestSchema = Type.Object({
  portfolio_snapshot: PortfolioSnapshotSchema,
  market_data_snapshot: MarketDataSnapshotSchema,
  model_portfolio: ModelPortfolioSchema,
  shelf_entries: Type.Array(ShelfEntrySchema),
  scenarios: Type.Record(Type.String(), BatchScenarioSchema, {
    minProperties: 1,
    maxProperties: MAX_SCENARIOS,
    propertyNames: { pattern: SCENARIO_NAME_PATTERN },
    [KEY_MESSAGE_ANNOTATION]: `Value error, scenario names must match ${SCENARIO_NAME_PATTERN}`,
    [REFINE_ANNOTATION]: 'scenario-count',
  }),
});

export type RebalanceRequest = Normalised<Static<typeof RebalanceRequestSchema>>;
export type BatchRebalanceRequest = Normalised<Static<typeof BatchRebalanceRequestSchema>>;
