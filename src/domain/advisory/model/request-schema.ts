/**
 * Body of `POST /rebalance/proposals/simulate` (and `/artifact`): ProposalSimulateRequest, field
 * for field as the reference (docs/advisory.md#request-and-validation). Snapshots, shelf entries
 * and options are `portfolio/request-schema.ts` — one definition for both engines. Defaults are
 * part of the schema because the request hash is taken over the request with every default filled
 * in.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  EngineOptionsSchema,
  MarketDataSnapshotSchema,
  MoneySchema,
  PortfolioSnapshotSchema,
  ShelfEntrySchema,
} from '../../portfolio/request-schema.ts';
import {
  DecimalValue,
  Nullable,
  REFINE_ANNOTATION,
  StringEnum,
  WithDefault,
  type Normalised,
} from '../../portfolio/schema-kit.ts';
import { SIDES } from '../../portfolio/result-schema.ts';
import { validateEngineOptions } from '../../portfolio/validation/engine-options.ts';

/** `options: {}` means every option at its default — filled in, so the hash sees all 40 keys. */
function defaultOptions(): unknown {
  const filled = validateEngineOptions({});
  if (!filled.ok) throw new Error('advisory: the option defaults do not validate');
  return filled.value;
}

export const ProposedCashFlowSchema = Type.Object({
  intent_type: WithDefault(Type.Literal('CASH_FLOW'), 'CASH_FLOW'),
  currency: Type.String(),
  amount: DecimalValue({ description: 'Signed: > 0 deposit, < 0 withdrawal, 0 allowed. Not a JSON float.' }),
  description: WithDefault(Nullable(Type.String()), null),
});

/** Cross-field check `proposal-trade-input` (validation.ts): exactly one of quantity / notional. */
export const PROPOSAL_TRADE_REFINEMENT = 'proposal-trade-input';

export const ProposedTradeSchema = Type.Object(
  {
    intent_type: WithDefault(Type.Literal('SECURITY_TRADE'), 'SECURITY_TRADE'),
    side: StringEnum(SIDES),
    instrument_id: Type.String(),
    quantity: WithDefault(
      Nullable(DecimalValue({ range: { gt: '0' }, description: 'Units; a decimal string or integer, not a float.' })),
      null,
    ),
    /** Amount > 0 in the price currency; quantity = amount / price. */
    notional: WithDefault(Nullable(MoneySchema), null),
  },
  { [REFINE_ANNOTATION]: PROPOSAL_TRADE_REFINEMENT },
);

export const AssetClassTargetSchema = Type.Object({
  asset_class: Type.String(),
  weight: DecimalValue({ description: 'Not validated; need not sum to 1.' }),
});

export const InstrumentTargetSchema = Type.Object({
  instrument_id: Type.String(),
  weight: DecimalValue({ description: 'Not validated; need not sum to 1.' }),
});

export const ReferenceModelSchema = Type.Object({
  model_id: Type.String(),
  as_of: Type.String(),
  base_currency: Type.String(),
  asset_class_targets: WithDefault(Type.Array(AssetClassTargetSchema), []),
  instrument_targets: WithDefault(Type.Array(InstrumentTargetSchema), []),
});

export const ProposalSimulateRequestSchema = Type.Object({
  portfolio_snapshot: PortfolioSnapshotSchema,
  market_data_snapshot: MarketDataSnapshotSchema,
  shelf_entries: Type.Array(ShelfEntrySchema, { description: 'Required; may be empty.' }),
  options: WithDefault(EngineOptionsSchema, defaultOptions()),
  proposed_cash_flows: WithDefault(Type.Array(ProposedCashFlowSchema), []),
  proposed_trades: WithDefault(Type.Array(ProposedTradeSchema), []),
  reference_model: WithDefault(Nullable(ReferenceModelSchema), null),
});

export type ProposedTrade = Normalised<Static<typeof ProposedTradeSchema>>;
export type ReferenceModel = Normalised<Static<typeof ReferenceModelSchema>>;
/** The validated request: defaults filled in, decimals as normalised text. */
export type ProposalSimulateRequest = Normalised<Static<typeof ProposalSimulateRequestSchema>>;
