/**
 * The request parts both engines read, field for field as the reference
 * (docs/engine.md#request-and-result): money, the portfolio and market-data snapshots, the model
 * portfolio, shelf entries and the engine options. Defaults are part of the schema because the
 * request hash is taken over the request with every default filled in.
 *
 * Decimal defaults are written in the reference's text form ("0.00", "1.00", "0.0"): they are
 * hashed as text, so "0.00" and "0" are not interchangeable here.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  DecimalValue,
  Identifier,
  KEY_MESSAGE_ANNOTATION,
  Nullable,
  REFINE_ANNOTATION,
  StringEnum,
  WithDefault,
  type Normalised,
} from './schema-kit.ts';

const UNIT_RANGE = { ge: '0', le: '1' } as const;

export const MoneySchema = Type.Object({
  amount: DecimalValue(),
  currency: Type.String({ description: 'Currency code; not validated.' }),
});

export const FxRateSchema = Type.Object({
  pair: Type.String({ description: '"BASE/QUOTE": 1 unit of BASE = rate units of QUOTE.' }),
  rate: DecimalValue({ description: 'A rate of 0 counts as missing.' }),
});

export const TaxLotSchema = Type.Object({
  lot_id: Type.String(),
  quantity: DecimalValue({ range: { ge: '0' } }),
  unit_cost: MoneySchema,
  purchase_date: Type.String({ description: 'ISO date; compared as text (HIFO tie-break).' }),
});

export const PositionSchema = Type.Object(
  {
    instrument_id: Type.String(),
    quantity: DecimalValue({ description: 'May be 0 or negative.' }),
    market_value: WithDefault(Nullable(MoneySchema), null),
    lots: WithDefault(Type.Array(TaxLotSchema, { description: 'Must sum to quantity within 0.0001.' }), []),
  },
  { [REFINE_ANNOTATION]: 'lots-sum-to-quantity' },
);

export const CashBalanceSchema = Type.Object({
  currency: Type.String(),
  amount: DecimalValue(),
  settled: WithDefault(Nullable(DecimalValue({ description: 'Seeds the settlement ladder.' })), null),
  pending: WithDefault(Nullable(DecimalValue({ description: 'Informational only.' })), null),
});

export const PortfolioSnapshotSchema = Type.Object({
  snapshot_id: WithDefault(Nullable(Type.String()), null),
  portfolio_id: Identifier(),
  base_currency: Type.String(),
  positions: WithDefault(Type.Array(PositionSchema), []),
  cash_balances: WithDefault(Type.Array(CashBalanceSchema), []),
});

export const PriceSchema = Type.Object({
  instrument_id: Type.String(),
  price: DecimalValue({
    range: { gt: '0' },
    description: 'Must be positive (tightened: the reference divides by it and fails on 0).',
  }),
  currency: Type.String(),
});

export const MarketDataSnapshotSchema = Type.Object({
  snapshot_id: WithDefault(Nullable(Type.String()), null),
  prices: WithDefault(Type.Array(PriceSchema), []),
  fx_rates: WithDefault(Type.Array(FxRateSchema), []),
});

export const ModelTargetSchema = Type.Object({
  instrument_id: Type.String(),
  weight: DecimalValue({ range: { ge: '0' }, description: 'Non-negative (tightened); no sum check.' }),
});

export const ModelPortfolioSchema = Type.Object({
  targets: Type.Array(ModelTargetSchema),
});

export const SHELF_STATUSES = ['APPROVED', 'RESTRICTED', 'BANNED', 'SUSPENDED', 'SELL_ONLY'] as const;
export const LIQUIDITY_TIERS = ['L1', 'L2', 'L3', 'L4', 'L5'] as const;

export const ShelfEntrySchema = Type.Object({
  instrument_id: Type.String(),
  status: StringEnum(SHELF_STATUSES),
  asset_class: WithDefault(Type.String(), 'UNKNOWN'),
  issuer_id: WithDefault(Nullable(Type.String()), null),
  liquidity_tier: WithDefault(Nullable(StringEnum(LIQUIDITY_TIERS)), null),
  settlement_days: WithDefault(Type.Integer({ minimum: 0, maximum: 10 }), 2),
  min_notional: WithDefault(Nullable(MoneySchema), null),
  attributes: WithDefault(Type.Record(Type.String(), Type.String()), {}),
});

export const GroupConstraintSchema = Type.Object({
  max_weight: DecimalValue({
    range: UNIT_RANGE,
    rangeMessage: 'Value error, max_weight must be between 0 and 1 inclusive',
  }),
});

export const SuitabilityThresholdsSchema = Type.Object(
  {
    single_position_max_weight: WithDefault(DecimalValue({ range: UNIT_RANGE }), '0.10'),
    issuer_max_weight: WithDefault(DecimalValue({ range: UNIT_RANGE }), '0.20'),
    max_weight_by_liquidity_tier: WithDefault(
      Type.Record(
        Type.String(),
        DecimalValue({
          range: UNIT_RANGE,
          rangeMessage: 'Value error, liquidity-tier max weights must be between 0 and 1 inclusive',
        }),
        {
          propertyNames: { pattern: '^L[1-5]$' },
          [KEY_MESSAGE_ANNOTATION]: 'Value error, liquidity tier keys must be one of L1, L2, L3, L4, L5',
        },
      ),
      { L4: '0.10', L5: '0.05' },
    ),
    cash_band_min_weight: WithDefault(DecimalValue({ range: UNIT_RANGE }), '0.01'),
    cash_band_max_weight: WithDefault(DecimalValue({ range: UNIT_RANGE }), '0.05'),
    data_quality_issue_severity: WithDefault(StringEnum(['HIGH', 'MEDIUM', 'LOW']), 'MEDIUM'),
  },
  { [REFINE_ANNOTATION]: 'suitability-cash-band-ordered' },
);

export const VALUATION_MODES = ['CALCULATED', 'TRUST_SNAPSHOT'] as const;
export const TARGET_METHODS = ['HEURISTIC', 'SOLVER'] as const;

/** EngineOptions: every field of the reference (advisory-only ones too: they are hashed). */
export const EngineOptionsSchema = Type.Object({
  valuation_mode: WithDefault(StringEnum(VALUATION_MODES), 'CALCULATED'),
  target_method: WithDefault(StringEnum(TARGET_METHODS), 'HEURISTIC'),
  compare_target_methods: WithDefault(Type.Boolean(), false),
  compare_target_methods_tolerance: WithDefault(DecimalValue({ range: { ge: '0' } }), '0.0001'),
  cash_band_min_weight: WithDefault(DecimalValue({ range: UNIT_RANGE }), '0.00'),
  cash_band_max_weight: WithDefault(DecimalValue({ range: UNIT_RANGE }), '1.00'),
  single_position_max_weight: WithDefault(Nullable(DecimalValue({ range: UNIT_RANGE })), null),
  min_trade_notional: WithDefault(Nullable(MoneySchema), null),
  allow_restricted: WithDefault(Type.Boolean(), false),
  suppress_dust_trades: WithDefault(Type.Boolean(), true),
  dust_trade_threshold: WithDefault(Nullable(MoneySchema), null),
  fx_buffer_pct: WithDefault(DecimalValue({ range: { ge: '0' } }), '0.01'),
  block_on_missing_prices: WithDefault(Type.Boolean(), true),
  block_on_missing_fx: WithDefault(Type.Boolean(), true),
  min_cash_buffer_pct: WithDefault(DecimalValue({ range: UNIT_RANGE }), '0.0'),
  max_turnover_pct: WithDefault(
    Nullable(
      DecimalValue({
        range: UNIT_RANGE,
        rangeMessage: 'Value error, max_turnover_pct must be between 0 and 1 inclusive',
      }),
    ),
    null,
  ),
  enable_tax_awareness: WithDefault(Type.Boolean(), false),
  max_realized_capital_gains: WithDefault(Nullable(DecimalValue({ range: { ge: '0' } })), null),
  enable_settlement_awareness: WithDefault(Type.Boolean(), false),
  settlement_horizon_days: WithDefault(Type.Integer({ minimum: 0, maximum: 10 }), 5),
  fx_settlement_days: WithDefault(Type.Integer({ minimum: 0, maximum: 10 }), 2),
  max_overdraft_by_ccy: WithDefault(
    Type.Record(
      Type.String(),
      DecimalValue({
        range: { ge: '0' },
        rangeMessage: 'Value error, max_overdraft_by_ccy values must be non-negative',
      }),
      {
        propertyNames: { pattern: '\\S' },
        [KEY_MESSAGE_ANNOTATION]: 'Value error, max_overdraft_by_ccy keys must be non-empty currency codes',
      },
    ),
    {},
  ),
  group_constraints: WithDefault(
    Type.Record(Type.String(), GroupConstraintSchema, {
      propertyNames: { pattern: '^[^:]+:[^:]+$' },
      [KEY_MESSAGE_ANNOTATION]:
        "Value error, group_constraints keys must use format '<attribute_key>:<attribute_value>'",
    }),
    {},
  ),
  enable_workflow_gates: WithDefault(Type.Boolean(), true),
  workflow_requires_client_consent: WithDefault(Type.Boolean(), false),
  client_consent_already_obtained: WithDefault(Type.Boolean(), false),
  link_buy_to_same_currency_sell_dependency: WithDefault(Nullable(Type.Boolean()), null),
  // Advisory-only below: ignored by the DPM engine, kept because they are part of the hash.
  enable_proposal_simulation: WithDefault(Type.Boolean(), false),
  proposal_apply_cash_flows_first: WithDefault(Type.Boolean(), true),
  proposal_block_negative_cash: WithDefault(Type.Boolean(), true),
  enable_drift_analytics: WithDefault(Type.Boolean(), true),
  enable_suitability_scanner: WithDefault(Type.Boolean(), true),
  suitability_thresholds: WithDefault(SuitabilityThresholdsSchema, {
    single_position_max_weight: '0.10',
    issuer_max_weight: '0.20',
    max_weight_by_liquidity_tier: { L4: '0.10', L5: '0.05' },
    cash_band_min_weight: '0.01',
    cash_band_max_weight: '0.05',
    data_quality_issue_severity: 'MEDIUM',
  }),
  enable_instrument_drift: WithDefault(Type.Boolean(), true),
  drift_top_contributors_limit: WithDefault(Type.Integer({ minimum: 1, maximum: 20 }), 5),
  drift_unmodeled_exposure_threshold: WithDefault(DecimalValue({ range: UNIT_RANGE }), '0.01'),
  auto_funding: WithDefault(Type.Boolean(), true),
  funding_mode: WithDefault(StringEnum(['AUTO_FX']), 'AUTO_FX'),
  fx_funding_source_currency: WithDefault(StringEnum(['BASE_ONLY', 'ANY_CASH']), 'ANY_CASH'),
  fx_generation_policy: WithDefault(StringEnum(['ONE_FX_PER_CCY']), 'ONE_FX_PER_CCY'),
});

/** Wire forms after validation: defaults filled in, decimals as normalised text. */
export type Money = Normalised<Static<typeof MoneySchema>>;
export type Position = Normalised<Static<typeof PositionSchema>>;
export type CashBalance = Normalised<Static<typeof CashBalanceSchema>>;
export type PortfolioSnapshot = Normalised<Static<typeof PortfolioSnapshotSchema>>;
export type MarketDataSnapshot = Normalised<Static<typeof MarketDataSnapshotSchema>>;
export type ModelPortfolio = Normalised<Static<typeof ModelPortfolioSchema>>;
export type ShelfEntry = Normalised<Static<typeof ShelfEntrySchema>>;
export type ShelfStatus = ShelfEntry['status'];
export type EngineOptions = Normalised<Static<typeof EngineOptionsSchema>>;
