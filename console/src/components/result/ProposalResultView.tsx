/** What a ProposalResult says about the portfolio: drift against the reference model (or before and after), shared by the proposal and simulate pages. */
import type { ProposalResult } from '../../api/results.ts';
import { AllocationChart } from '../../charts/AllocationChart.tsx';
import { allocationBeforeAfter, allocationFromDrift } from '../../lib/allocation.ts';
import { KeyValues, Section } from '../layout.tsx';

export function DriftSection({ result }: { result: ProposalResult | undefined }) {
  if (!result?.before) return null;
  const drift = result.drift_analysis;
  const rows = drift ? allocationFromDrift(drift.asset_class.buckets) : allocationBeforeAfter(result.before.allocation_by_asset_class, result.after_simulated.allocation_by_asset_class);
  return (
    <Section id="drift" title={drift ? `Drift against model ${drift.reference_model.model_id}` : 'Allocation before and after'}>
      {drift ? (
        <KeyValues
          items={[
            ['Total drift before', drift.asset_class.drift_total_before],
            ['Total drift after', drift.asset_class.drift_total_after],
            ['Change', drift.asset_class.drift_total_delta],
          ]}
        />
      ) : (
        <p class="muted">This proposal has no reference model, so there is no target: the chart shows the asset classes before and after.</p>
      )}
      <AllocationChart rows={rows} label="Allocation by asset class" />
    </Section>
  );
}
