/**
 * The engine's internal model: the request parsed once into Decimals, plus what each pipeline
 * stage produces. Field names are camelCase here; `serialize.ts` maps them to the wire.
 */
import type { Decimal } from '../decimal.ts';
import type { RunStatus, SIDES } from './result-schema.ts';
import type { ShelfStatus } from './request-schema.ts';

export type { RunStatus, ShelfStatus };

export interface Money {
  readonly amount: Decimal;
  readonly currency: string;
}

// ── Inputs ───────────────────────────────────────────────────────────────────────────────

export interface TaxLot {
  readonly lotId: string;
  readonly quantity: Decimal;
  readonly unitCost: Money;
  readonly purchaseDate: string;
}

export interface Position {
  readonly instrumentId: string;
  readonly quantity: Decimal;
  readonly marketValue: Money | null;
  readonly lots: readonly TaxLot[];
}

export interface CashBalance {
  readonly currency: string;
  readonly amount: Decimal;
  readonly settled: Decimal | null;
  readonly pending: Decimal | null;
}

export interface PortfolioSnapshot {
  readonly snapshotId: string | null;
  readonly portfolioId: string;
  readonly baseCurrency: string;
  readonly positions: readonly Position[];
  readonly cashBalances: readonly CashBalance[];
}

export interface Price {
  readonly instrumentId: string;
  readonly price: Decimal;
  readonly currency: string;
}

export interface FxRate {
  readonly pair: string;
  readonly rate: Decimal;
}

export interface MarketDataSnapshot {
  readonly snapshotId: string | null;
  readonly prices: readonly Price[];
  readonly fxRates: readonly FxRate[];
}

export interface ModelTarget {
  readonly instrumentId: string;
  readonly weight: Decimal;
}

export interface ShelfEntry {
  readonly instrumentId: string;
  readonly status: ShelfStatus;
  readonly assetClass: string;
  readonly settlementDays: number;
  readonly minNotional: Money | null;
  /** Insertion-ordered, as the reference's dict. */
  readonly attributes: ReadonlyMap<string, string>;
}

/** The options the DPM engine reads (advisory-only options are hashed but never parsed). */
export interface EngineOptions {
  readonly valuationMode: 'CALCULATED' | 'TRUST_SNAPSHOT';
  readonly targetMethod: TargetMethod;
  readonly compareTargetMethods: boolean;
  readonly compareTargetMethodsTolerance: Decimal;
  /** Kept as given: the comparison echoes the tolerance text. */
  readonly compareTargetMethodsToleranceText: string;
  readonly cashBandMinWeight: Decimal;
  readonly cashBandMaxWeight: Decimal;
  readonly singlePositionMaxWeight: Decimal | null;
  readonly minTradeNotional: Money | null;
  readonly allowRestricted: boolean;
  readonly suppressDustTrades: boolean;
  readonly fxBufferPct: Decimal;
  readonly blockOnMissingPrices: boolean;
  readonly blockOnMissingFx: boolean;
  readonly minCashBufferPct: Decimal;
  readonly maxTurnoverPct: Decimal | null;
  readonly enableTaxAwareness: boolean;
  readonly maxRealizedCapitalGains: Decimal | null;
  readonly enableSettlementAwareness: boolean;
  readonly settlementHorizonDays: number;
  readonly fxSettlementDays: number;
  readonly maxOverdraftByCcy: ReadonlyMap<string, Decimal>;
  /** Keys in code-point order (the order every stage walks them). */
  readonly groupConstraints: readonly GroupConstraint[];
  readonly enableWorkflowGates: boolean;
  readonly workflowRequiresClientConsent: boolean;
  readonly clientConsentAlreadyObtained: boolean;
  readonly linkBuyToSameCurrencySellDependency: boolean | null;
}

export type TargetMethod = 'HEURISTIC' | 'SOLVER';

export interface GroupConstraint {
  readonly key: string;
  readonly attributeKey: string;
  readonly attributeValue: string;
  readonly maxWeight: Decimal;
}

export interface EngineInput {
  readonly portfolio: PortfolioSnapshot;
  readonly marketData: MarketDataSnapshot;
  readonly modelTargets: readonly ModelTarget[];
  readonly shelf: readonly ShelfEntry[];
  readonly options: EngineOptions;
}

// ── Stage outputs ────────────────────────────────────────────────────────────────────────

export interface PositionSummary {
  readonly instrumentId: string;
  readonly quantity: Decimal;
  readonly instrumentCurrency: string;
  readonly assetClass: string;
  readonly price: Money | null;
  readonly valueInInstrumentCcy: Money;
  readonly valueInBaseCcy: Money;
  /** Raw; quantized to 4 dp only on output. */
  readonly weight: Decimal;
}

export interface AllocationMetric {
  readonly key: string;
  readonly weight: Decimal;
  readonly value: Money;
}

export interface SimulatedState {
  readonly totalValue: Money;
  readonly cashBalances: readonly CashBalance[];
  /** Also the allocation by instrument: each position's weight and value in base currency. */
  readonly positions: readonly PositionSummary[];
  readonly allocationByAssetClass: readonly AllocationMetric[];
  readonly allocationByAttribute: ReadonlyMap<string, readonly AllocationMetric[]>;
}

export interface Exclusion {
  readonly instrumentId: string;
  readonly reasonCode: string;
}

export interface TargetInstrument {
  readonly instrumentId: string;
  readonly modelWeight: Decimal;
  readonly finalWeight: Decimal;
  readonly finalValue: Money;
  readonly tags: readonly string[];
}

export type Side = (typeof SIDES)[number];

/** What a security trade of either engine carries. */
export interface TradeIntentCore {
  readonly intentType: 'SECURITY_TRADE';
  readonly intentId: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly quantity: Decimal;
  readonly notional: Money;
  readonly dependencies: readonly string[];
}

/** A DPM trade: always valued in base currency, with the constraints that shaped it. */
export interface SecurityTradeIntent extends TradeIntentCore {
  readonly notionalBase: Money;
  readonly constraintsApplied: readonly string[];
}

export interface FxSpotIntent {
  readonly intentType: 'FX_SPOT';
  readonly intentId: string;
  readonly pair: string;
  readonly buyCurrency: string;
  readonly buyAmount: Decimal;
  readonly sellCurrency: string;
  readonly sellAmountEstimated: Decimal;
  /** The advisory engine only funds; the DPM engine also sweeps leftover foreign cash. */
  readonly purpose: 'FUNDING' | 'SWEEP';
}

export type Intent = SecurityTradeIntent | FxSpotIntent;

export interface Reconciliation {
  readonly beforeTotalValue: Money;
  readonly afterTotalValue: Money;
  readonly delta: Money;
  readonly tolerance: Money;
  readonly status: 'OK' | 'MISMATCH';
}

export interface TaxImpact {
  readonly totalRealizedGain: Money;
  readonly totalRealizedLoss: Money;
  readonly budgetLimit: Money | null;
  readonly budgetUsed: Money | null;
}

export type RuleSeverity = 'HARD' | 'SOFT' | 'INFO';

export interface RuleResult {
  readonly ruleId: string;
  readonly severity: RuleSeverity;
  readonly status: 'PASS' | 'FAIL';
  readonly measured: Decimal;
  /** Ordered pairs (`min` before `max`), emitted as a JSON object. */
  readonly threshold: readonly (readonly [string, Decimal])[];
  readonly reasonCode: string;
  readonly remediationHint: string | null;
}

export interface TargetMethodComparison {
  readonly primaryMethod: TargetMethod;
  readonly primaryStatus: RunStatus;
  readonly alternateMethod: TargetMethod;
  readonly alternateStatus: RunStatus;
  readonly tolerance: string;
  readonly differingInstruments: readonly string[];
  readonly alternateWarnings: readonly string[];
}

export interface GroupConstraintEvent {
  readonly constraintKey: string;
  readonly groupWeightBefore: Decimal;
  readonly maxWeight: Decimal;
  readonly releasedWeight: Decimal;
  readonly recipients: ReadonlyMap<string, Decimal>;
  readonly status: 'CAPPED' | 'BLOCKED';
}

export interface CashLadderPoint {
  readonly dateOffset: number;
  readonly currency: string;
  readonly projectedBalance: Decimal;
}

export interface CashLadderBreach extends CashLadderPoint {
  readonly allowedFloor: Decimal;
  readonly reasonCode: string;
}

/** Mutable on purpose: every stage appends to the one diagnostics object of a run. */
export interface Diagnostics {
  readonly warnings: string[];
  readonly suppressedIntents: {
    readonly instrumentId: string;
    readonly reason: string;
    readonly intendedNotional: Money;
    readonly threshold: Money;
  }[];
  readonly droppedIntents: {
    readonly instrumentId: string;
    readonly reason: string;
    readonly potentialNotional: Money;
    readonly score: Decimal;
  }[];
  readonly groupConstraintEvents: GroupConstraintEvent[];
  readonly taxBudgetConstraintEvents: {
    readonly instrumentId: string;
    readonly requestedQuantity: Decimal;
    readonly allowedQuantity: Decimal;
    readonly reasonCode: string;
  }[];
  readonly cashLadder: CashLadderPoint[];
  readonly cashLadderBreaches: CashLadderBreach[];
  readonly dataQuality: {
    readonly priceMissing: string[];
    readonly fxMissing: string[];
    readonly shelfMissing: string[];
  };
}

export type GateName =
  | 'BLOCKED'
  | 'RISK_REVIEW_REQUIRED'
  | 'COMPLIANCE_REVIEW_REQUIRED'
  | 'CLIENT_CONSENT_REQUIRED'
  | 'EXECUTION_READY'
  | 'NONE';

export type NextStep = 'FIX_INPUT' | 'RISK_REVIEW' | 'COMPLIANCE_REVIEW' | 'REQUEST_CLIENT_CONSENT' | 'EXECUTE' | 'NONE';

export interface GateReason {
  readonly reasonCode: string;
  readonly severity: 'HIGH' | 'MEDIUM' | 'LOW';
  readonly source: 'RULE_ENGINE' | 'SUITABILITY' | 'DATA_QUALITY';
  readonly details: Readonly<Record<string, string>>;
}

export interface GateDecision {
  readonly gate: GateName;
  readonly recommendedNextStep: NextStep;
  readonly reasons: readonly GateReason[];
  readonly hardFailCount: number;
  readonly softFailCount: number;
  /** NEW suitability issues counted by the gate (advisory only; always 0 in DPM runs). */
  readonly newHighSuitabilityCount: number;
  readonly newMediumSuitabilityCount: number;
}

export interface UniverseData {
  readonly eligibleForBuy: readonly string[];
  readonly eligibleForSell: readonly string[];
  readonly excluded: readonly Exclusion[];
}

/**
 * A finished run before serialisation. `explanation.comparison` is `undefined` on an early block,
 * where the reference emits `{"summary": "Blocked"}` without the comparison key.
 */
export interface RebalanceOutcome {
  readonly runId: string;
  readonly correlationId: string;
  readonly requestHash: string;
  /** The build that computed the run, or null (a direct engine call). */
  readonly engineVersion: string | null;
  readonly portfolioId: string;
  readonly status: RunStatus;
  readonly before: SimulatedState;
  readonly universe: UniverseData;
  /** "1" on runs that got past the data-quality checks, "0" on early-blocked runs. */
  readonly coverageComputed: boolean;
  readonly targets: readonly TargetInstrument[];
  readonly intents: readonly Intent[];
  readonly afterSimulated: SimulatedState;
  readonly reconciliation: Reconciliation | null;
  readonly taxImpact: TaxImpact | null;
  readonly ruleResults: readonly RuleResult[];
  readonly explanation: { readonly summary: string; readonly comparison?: TargetMethodComparison | null };
  readonly diagnostics: Diagnostics;
  readonly gateDecision: GateDecision | null;
}
