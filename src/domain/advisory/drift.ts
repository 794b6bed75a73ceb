/**
 * Drift analytics (docs/advisory.md#drift): how far the portfolio sits from a reference
 * model before and after the proposal, per asset class and (when the model has instrument
 * targets) per instrument. Weights are the raw valuation weights; every decimal is emitted raw.
 */
import { compareCodePoints } from '../canonical-json.ts';
import { Decimal, formatDecimal as dec, isNegative, isPositive, maxOf, sum, ZERO } from '../decimal.ts';
import type { AllocationMetric, SimulatedState } from '../portfolio/model.ts';
import type { DriftAnalysis, DriftBucketOut, DriftDimensionOut } from './model/result-schema.ts';
import type { ReferenceModel } from './model/request-schema.ts';

const HALF = Decimal.from('0.5');
const CASH_BUCKET = 'CASH';

export interface DriftOptions {
  readonly enableInstrumentDrift: boolean;
  readonly topContributorsLimit: number;
  readonly unmodeledExposureThreshold: Decimal;
}

export interface DriftBucket {
  readonly bucket: string;
  readonly modelWeight: Decimal;
  readonly weightBefore: Decimal;
  readonly weightAfter: Decimal;
  readonly driftBefore: Decimal;
  readonly driftAfter: Decimal;
  readonly absBefore: Decimal;
  readonly absAfter: Decimal;
  readonly improvement: Decimal;
}

export interface DriftDimension {
  readonly totalBefore: Decimal;
  readonly totalAfter: Decimal;
  readonly buckets: readonly DriftBucket[];
  readonly topContributorsBefore: readonly DriftBucket[];
}

/** Weight per key; a key listed twice keeps its last row (the reference's dict). */
function weights(metrics: readonly AllocationMetric[]): Map<string, Decimal> {
  return new Map(metrics.map((m) => [m.key, m.weight] as const));
}

function positionWeights(state: SimulatedState): Map<string, Decimal> {
  return new Map(state.positions.map((p) => [p.instrumentId, p.weight] as const));
}

function dimension(
  before: ReadonlyMap<string, Decimal>,
  after: ReadonlyMap<string, Decimal>,
  model: ReadonlyMap<string, Decimal>,
  extra: Iterable<string>,
  limit: number,
): DriftDimension {
  const keys = new Set([...before.keys(), ...after.keys(), ...model.keys(), ...extra]);
  const buckets = [...keys].sort(compareCodePoints).map((bucket): DriftBucket => {
    const modelWeight = model.get(bucket) ?? ZERO;
    const weightBefore = before.get(bucket) ?? ZERO;
    const weightAfter = after.get(bucket) ?? ZERO;
    const driftBefore = weightBefore.minus(modelWeight);
    const driftAfter = weightAfter.minus(modelWeight);
    const absBefore = driftBefore.abs();
    const absAfter = driftAfter.abs();
    return {
      bucket,
      modelWeight,
      weightBefore,
      weightAfter,
      driftBefore,
      driftAfter,
      absBefore,
      absAfter,
      improvement: absBefore.minus(absAfter),
    };
  });
  const topContributorsBefore = [...buckets]
    .sort((a, b) => b.absBefore.comparedTo(a.absBefore) || compareCodePoints(a.bucket, b.bucket))
    .slice(0, limit);
  return {
    totalBefore: HALF.times(sum(buckets.map((b) => b.absBefore))),
    totalAfter: HALF.times(sum(buckets.map((b) => b.absAfter))),
    buckets,
    topContributorsBefore,
  };
}

function bucketOut(b: DriftBucket): DriftBucketOut {
  return {
    bucket: b.bucket,
    model_weight: dec(b.modelWeight),
    portfolio_weight_before: dec(b.weightBefore),
    portfolio_weight_after: dec(b.weightAfter),
    drift_before: dec(b.driftBefore),
    drift_after: dec(b.driftAfter),
    abs_drift_before: dec(b.absBefore),
    abs_drift_after: dec(b.absAfter),
    improvement: dec(b.improvement),
  };
}

function dimensionOut(d: DriftDimension): DriftDimensionOut {
  return {
    drift_total_before: dec(d.totalBefore),
    drift_total_after: dec(d.totalAfter),
    drift_total_delta: dec(d.totalAfter.minus(d.totalBefore)),
    top_contributors_before: d.topContributorsBefore.map(bucketOut),
    buckets: d.buckets.map(bucketOut),
  };
}

function highlights(buckets: readonly DriftBucket[], options: DriftOptions): DriftAnalysis['highlights'] {
  const limit = options.topContributorsLimit;
  const improvements = buckets
    .filter((b) => isPositive(b.improvement))
    .sort((a, b) => b.improvement.comparedTo(a.improvement) || compareCodePoints(a.bucket, b.bucket))
    .slice(0, limit);
  const deteriorations = buckets
    .filter((b) => isNegative(b.improvement))
    .sort((a, b) => a.improvement.comparedTo(b.improvement) || compareCodePoints(a.bucket, b.bucket))
    .slice(0, limit);
  const unmodeled = buckets
    .filter((b) => b.modelWeight.isZero())
    .map((b) => ({ b, max: maxOf(b.weightBefore, b.weightAfter) }))
    .filter(({ max }) => max.gte(options.unmodeledExposureThreshold))
    .sort((x, y) => y.max.comparedTo(x.max) || compareCodePoints(x.b.bucket, y.b.bucket))
    .slice(0, limit);
  return {
    largest_improvements: improvements.map((b) => ({ bucket: b.bucket, improvement: dec(b.improvement) })),
    largest_deteriorations: deteriorations.map((b) => ({ bucket: b.bucket, improvement: dec(b.improvement) })),
    unmodeled_exposures: unmodeled.map(({ b, max }) => ({
      bucket: b.bucket,
      portfolio_weight_before: dec(b.weightBefore),
      portfolio_weight_after: dec(b.weightAfter),
      max_portfolio_weight: dec(max),
    })),
  };
}

export interface DriftComputation {
  readonly assetClass: DriftDimension;
  readonly instrument: DriftDimension | null;
  readonly output: DriftAnalysis;
}

/**
 * Caller checks `enable_drift_analytics`, the presence of a model and its base currency.
 * `tradedInstruments`: instruments of the SECURITY_TRADE intents actually emitted.
 */
export function computeDrift(
  before: SimulatedState,
  after: SimulatedState,
  model: ReferenceModel,
  tradedInstruments: Iterable<string>,
  options: DriftOptions,
): DriftComputation {
  const limit = options.topContributorsLimit;
  const assetTargets = new Map(model.asset_class_targets.map((t) => [t.asset_class, Decimal.from(t.weight)] as const));
  const assetClass = dimension(
    weights(before.allocationByAssetClass),
    weights(after.allocationByAssetClass),
    assetTargets,
    [CASH_BUCKET],
    limit,
  );
  let instrument: DriftDimension | null = null;
  if (options.enableInstrumentDrift && model.instrument_targets.length > 0) {
    const instrumentTargets = new Map(
      model.instrument_targets.map((t) => [t.instrument_id, Decimal.from(t.weight)] as const),
    );
    instrument = dimension(
      positionWeights(before),
      positionWeights(after),
      instrumentTargets,
      tradedInstruments,
      limit,
    );
  }
  return {
    assetClass,
    instrument,
    output: {
      reference_model: { model_id: model.model_id, as_of: model.as_of, base_currency: model.base_currency },
      asset_class: dimensionOut(assetClass),
      instrument: instrument === null ? null : dimensionOut(instrument),
      highlights: highlights((instrument ?? assetClass).buckets, options),
    },
  };
}
