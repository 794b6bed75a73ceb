/**
 * Turns a validated (normalised) request into the engine's internal model: every decimal text
 * parsed once into a Decimal, attribute maps kept in insertion order, group constraints sorted.
 */
import { compareCodePoints } from '../canonical-json.ts';
import { Decimal } from '../decimal.ts';
import type * as Wire from './request-schema.ts';
import type {
  CashBalance,
  EngineInput,
  EngineOptions,
  GroupConstraint,
  MarketDataSnapshot,
  Money,
  PortfolioSnapshot,
  Position,
  ShelfEntry,
} from './model.ts';

const dec = (text: string): Decimal => Decimal.from(text);
const decOrNull = (text: string | null): Decimal | null => (text === null ? null : Decimal.from(text));

function money(wire: Wire.Money): Money {
  return { amount: dec(wire.amount), currency: wire.currency };
}

function moneyOrNull(wire: Wire.Money | null): Money | null {
  return wire === null ? null : money(wire);
}

function position(wire: Wire.Position): Position {
  return {
    instrumentId: wire.instrument_id,
    quantity: dec(wire.quantity),
    marketValue: moneyOrNull(wire.market_value),
    lots: wire.lots.map((lot) => ({
      lotId: lot.lot_id,
      quantity: dec(lot.quantity),
      unitCost: money(lot.unit_cost),
      purchaseDate: lot.purchase_date,
    })),
  };
}

function parseCashBalance(wire: Wire.CashBalance): CashBalance {
  return {
    currency: wire.currency,
    amount: dec(wire.amount),
    settled: decOrNull(wire.settled),
    pending: decOrNull(wire.pending),
  };
}

function parsePortfolio(wire: Wire.PortfolioSnapshot): PortfolioSnapshot {
  return {
    snapshotId: wire.snapshot_id,
    portfolioId: wire.portfolio_id,
    baseCurrency: wire.base_currency,
    positions: wire.positions.map(position),
    cashBalances: wire.cash_balances.map(parseCashBalance),
  };
}

function parseMarketData(wire: Wire.MarketDataSnapshot): MarketDataSnapshot {
  return {
    snapshotId: wire.snapshot_id,
    prices: wire.prices.map((p) => ({ instrumentId: p.instrument_id, price: dec(p.price), currency: p.currency })),
    fxRates: wire.fx_rates.map((r) => ({ pair: r.pair, rate: dec(r.rate) })),
  };
}

function parseShelf(wire: readonly Wire.ShelfEntry[]): ShelfEntry[] {
  return wire.map((entry) => ({
    instrumentId: entry.instrument_id,
    status: entry.status,
    assetClass: entry.asset_class,
    settlementDays: entry.settlement_days,
    minNotional: moneyOrNull(entry.min_notional),
    attributes: new Map(Object.entries(entry.attributes)),
  }));
}

function groupConstraints(wire: Wire.EngineOptions['group_constraints']): GroupConstraint[] {
  return Object.keys(wire)
    .sort(compareCodePoints)
    .map((key) => {
      // Validation guarantees exactly one ':' with non-empty sides.
      const [attributeKey = '', attributeValue = ''] = key.split(':');
      return { key, attributeKey, attributeValue, maxWeight: dec((wire[key] as { max_weight: string }).max_weight) };
    });
}

export function parseOptions(wire: Wire.EngineOptions): EngineOptions {
  return {
    valuationMode: wire.valuation_mode,
    targetMethod: wire.target_method,
    compareTargetMethods: wire.compare_target_methods,
    compareTargetMethodsTolerance: dec(wire.compare_target_methods_tolerance),
    compareTargetMethodsToleranceText: wire.compare_target_methods_tolerance,
    cashBandMinWeight: dec(wire.cash_band_min_weight),
    cashBandMaxWeight: dec(wire.cash_band_max_weight),
    singlePositionMaxWeight: decOrNull(wire.single_position_max_weight),
    minTradeNotional: moneyOrNull(wire.min_trade_notional),
    allowRestricted: wire.allow_restricted,
    suppressDustTrades: wire.suppress_dust_trades,
    fxBufferPct: dec(wire.fx_buffer_pct),
    blockOnMissingPrices: wire.block_on_missing_prices,
    blockOnMissingFx: wire.block_on_missing_fx,
    minCashBufferPct: dec(wire.min_cash_buffer_pct),
    maxTurnoverPct: decOrNull(wire.max_turnover_pct),
    enableTaxAwareness: wire.enable_tax_awareness,
    maxRealizedCapitalGains: decOrNull(wire.max_realized_capital_gains),
    enableSettlementAwareness: wire.enable_settlement_awareness,
    settlementHorizonDays: wire.settlement_horizon_days,
    fxSettlementDays: wire.fx_settlement_days,
    maxOverdraftByCcy: new Map(Object.entries(wire.max_overdraft_by_ccy).map(([ccy, v]) => [ccy, dec(v)])),
    groupConstraints: groupConstraints(wire.group_constraints),
    enableWorkflowGates: wire.enable_workflow_gates,
    workflowRequiresClientConsent: wire.workflow_requires_client_consent,
    clientConsentAlreadyObtained: wire.client_consent_already_obtained,
    linkBuyToSameCurrencySellDependency: wire.link_buy_to_same_currency_sell_dependency,
  };
}

export interface RequestParts {
  readonly portfolio_snapshot: Wire.PortfolioSnapshot;
  readonly market_data_snapshot: Wire.MarketDataSnapshot;
  readonly model_portfolio: Wire.ModelPortfolio;
  readonly shelf_entries: readonly Wire.ShelfEntry[];
}

/** Everything but the options: what the scenarios of a batch share. */
export function parseSnapshots(request: RequestParts): Omit<EngineInput, 'options'> {
  return {
    portfolio: parsePortfolio(request.portfolio_snapshot),
    marketData: parseMarketData(request.market_data_snapshot),
    modelTargets: request.model_portfolio.targets.map((t) => ({
      instrumentId: t.instrument_id,
      weight: dec(t.weight),
    })),
    shelf: parseShelf(request.shelf_entries),
  };
}

export function parseEngineInput(request: RequestParts, options: Wire.EngineOptions): EngineInput {
  return { ...parseSnapshots(request), options: parseOptions(options) };
}
