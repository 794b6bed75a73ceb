/**
 * Drift analytics (docs/advisory.md#drift): totals, contributors, highlights, unmodelled exposure.
 */
import { describe, expect, it } from 'vitest';
import { buy, proposalBody, simulate } from './support.ts';

const model = (extra: Record<string, unknown>) => ({ model_id: 'm1', as_of: '2026-02-18', base_currency: 'USD', ...extra });

const spec = {
  cash: { USD: '100' },
  instruments: [
    { id: 'EQ_A', price: '100', held: '7' },
    { id: 'EQ_B', price: '100', held: '2' },
    { id: 'EQ_C', price: '100' },
  ],
  trades: [buy('EQ_C', '1')],
};

describe('drift analytics', () => {
  it('measures both dimensions; highlights come from the instrument buckets (14C instrument)', () => {
    const result = simulate(
      proposalBody({
        ...spec,
        model: model({
          asset_class_targets: [
            { asset_class: 'EQUITY', weight: '0.95' },
            { asset_class: 'CASH', weight: '0.05' },
          ],
          instrument_targets: [
            { instrument_id: 'EQ_A', weight: '0.40' },
            { instrument_id: 'EQ_B', weight: '0.60' },
          ],
        }),
      }),
    );
    const drift = result.drift_analysis;
    expect(drift?.reference_model).toEqual({ model_id: 'm1', as_of: '2026-02-18', base_currency: 'USD' });
    expect(drift?.asset_class).toMatchObject({ drift_total_before: '0.05', drift_total_after: '0.05', drift_total_delta: '0' });
    expect(drift?.asset_class.buckets.map((b) => b.bucket)).toEqual(['CASH', 'EQUITY']);
    expect(drift?.instrument).toMatchObject({ drift_total_before: '0.35', drift_total_after: '0.4', drift_total_delta: '0.05' });
    expect(drift?.instrument?.top_contributors_before.map((b) => b.bucket)).toEqual(['EQ_B', 'EQ_A', 'EQ_C']);
    expect(drift?.instrument?.buckets.find((b) => b.bucket === 'EQ_C')).toEqual({
      bucket: 'EQ_C',
      model_weight: '0',
      portfolio_weight_before: '0',
      portfolio_weight_after: '0.1',
      drift_before: '0',
      drift_after: '0.1',
      abs_drift_before: '0',
      abs_drift_after: '0.1',
      improvement: '-0.1',
    });
    expect(drift?.highlights).toEqual({
      largest_improvements: [],
      largest_deteriorations: [{ bucket: 'EQ_C', improvement: '-0.1' }],
      unmodeled_exposures: [
        { bucket: 'EQ_C', portfolio_weight_before: '0', portfolio_weight_after: '0.1', max_portfolio_weight: '0.1' },
      ],
    });
  });

  it('lists unmodelled exposures above the threshold only, largest first, within the limit', () => {
    const result = simulate(
      proposalBody({
        ...spec,
        model: model({ asset_class_targets: [{ asset_class: 'CASH', weight: '1' }] }),
        options: { drift_unmodeled_exposure_threshold: '0.5', drift_top_contributors_limit: 1 },
      }),
    );
    const drift = result.drift_analysis;
    expect(drift?.instrument).toBeNull();
    expect(drift?.asset_class.top_contributors_before.map((b) => b.bucket)).toEqual(['CASH']);
    expect(drift?.highlights.unmodeled_exposures.map((u) => u.bucket)).toEqual(['EQUITY']);
    expect(drift?.highlights.largest_deteriorations).toEqual([{ bucket: 'CASH', improvement: '-0.1' }]);
  });

  it('keeps the last of duplicate targets and skips the instrument dimension when disabled', () => {
    const result = simulate(
      proposalBody({
        ...spec,
        model: model({
          asset_class_targets: [
            { asset_class: 'EQUITY', weight: '0.1' },
            { asset_class: 'EQUITY', weight: '0.9' },
          ],
          instrument_targets: [{ instrument_id: 'EQ_A', weight: '1' }],
        }),
        options: { enable_instrument_drift: false },
      }),
    );
    expect(result.drift_analysis?.instrument).toBeNull();
    expect(result.drift_analysis?.asset_class.buckets.find((b) => b.bucket === 'EQUITY')?.model_weight).toBe('0.9');
  });

  it('is null, with a warning, when the model base currency differs; null when disabled', () => {
    const mismatch = simulate(proposalBody({ ...spec, model: model({ base_currency: 'EUR' }) }));
    expect(mismatch.drift_analysis).toBeNull();
    expect(mismatch.diagnostics.warnings).toContain('REFERENCE_MODEL_BASE_CURRENCY_MISMATCH');
    const off = simulate(proposalBody({ ...spec, model: model({}), options: { enable_drift_analytics: false } }));
    expect(off.drift_analysis).toBeNull();
    expect(simulate(proposalBody(spec)).drift_analysis).toBeNull();
  });
});
