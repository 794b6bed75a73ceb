/**
 * What a RebalanceResult says, for a recorded run and for a fresh simulation alike: the allocation
 * before, targeted and after, each trade with the reason it was made, the rules, and the
 * diagnostics.
 */
import { useState } from 'preact/hooks';
import type { IntentOut, RebalanceResult } from '../../api/results.ts';
import { AllocationChart } from '../../charts/AllocationChart.tsx';
import { allocationByAssetClass, allocationByInstrument } from '../../lib/allocation.ts';
import { formatMoney } from '../../lib/format.ts';
import { DataTable, type Column } from '../DataTable.tsx';
import { KeyValues, Mono, Section } from '../layout.tsx';
import { Empty } from '../states.tsx';
import { StatusBadge } from '../StatusBadge.tsx';

type View = 'instrument' | 'asset_class';

export function AllocationSection({ result }: { result: RebalanceResult }) {
  const [view, setView] = useState<View>('instrument');
  const rows = view === 'instrument' ? allocationByInstrument(result) : allocationByAssetClass(result);
  const label = view === 'instrument' ? 'Allocation by instrument' : 'Allocation by asset class';
  return (
    <Section
      id="allocation"
      title="Allocation: before, target, after"
      actions={
        <fieldset class="toggle">
          <legend class="visually-hidden">Group the allocation by</legend>
          {(['instrument', 'asset_class'] as const).map((v) => (
            <label key={v}>
              <input type="radio" name="allocation-view" value={v} checked={view === v} onChange={() => setView(v)} />
              {v === 'instrument' ? 'By instrument' : 'By asset class'}
            </label>
          ))}
        </fieldset>
      }
    >
      {view === 'asset_class' && <p class="muted">The target of an asset class is the sum of its instruments' final target weights; cash is what the targets leave over.</p>}
      {rows.length === 0 ? <Empty>Nothing is held or targeted.</Empty> : <AllocationChart rows={rows} label={label} />}
    </Section>
  );
}

function intentWhat(i: IntentOut): string {
  return i.intent_type === 'SECURITY_TRADE' ? i.instrument_id : i.pair;
}

const TRADE_COLUMNS: readonly Column<IntentOut>[] = [
  { header: 'Id', cell: (i) => <Mono>{i.intent_id}</Mono> },
  { header: 'Type', cell: (i) => (i.intent_type === 'SECURITY_TRADE' ? 'Security' : 'FX spot') },
  { header: 'Instrument / pair', cell: intentWhat },
  { header: 'Side', cell: (i) => (i.intent_type === 'SECURITY_TRADE' ? i.side : `BUY ${i.buy_currency}`) },
  { header: 'Quantity', numeric: true, cell: (i) => (i.intent_type === 'SECURITY_TRADE' ? i.quantity : i.buy_amount) },
  {
    header: 'Notional',
    numeric: true,
    cell: (i) => (i.intent_type === 'SECURITY_TRADE' ? formatMoney(i.notional) : `${i.sell_amount_estimated} ${i.sell_currency} (est.)`),
  },
  {
    header: 'Why',
    cell: (i) => (
      <span>
        <Mono>{i.rationale.code}</Mono> {i.rationale.message}
        {i.intent_type === 'SECURITY_TRADE' && i.constraints_applied.length > 0 && <span class="muted"> · constraints: {i.constraints_applied.join(', ')}</span>}
      </span>
    ),
  },
  { header: 'Depends on', cell: (i) => (i.dependencies.length > 0 ? i.dependencies.join(', ') : '—') },
];

export function TradesSection({ intents }: { intents: readonly IntentOut[] }) {
  return (
    <Section id="trades" title={`Trades (${intents.length})`}>
      {intents.length === 0 ? (
        <Empty>No trade was needed.</Empty>
      ) : (
        <DataTable caption="Trades and why each was made" columns={TRADE_COLUMNS} rows={intents} rowKey={(i) => i.intent_id} testId="trades-table" />
      )}
    </Section>
  );
}

type Rule = RebalanceResult['rule_results'][number];

const RULE_COLUMNS: readonly Column<Rule>[] = [
  { header: 'Rule', cell: (r) => <Mono>{r.rule_id}</Mono> },
  { header: 'Result', cell: (r) => <StatusBadge status={r.status} /> },
  { header: 'Severity', cell: (r) => r.severity },
  { header: 'Measured', numeric: true, cell: (r) => r.measured },
  {
    header: 'Threshold',
    cell: (r) =>
      Object.entries(r.threshold)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '—',
  },
  { header: 'Reason', cell: (r) => <Mono>{r.reason_code}</Mono> },
  { header: 'Hint', cell: (r) => r.remediation_hint ?? '—' },
];

export function RulesSection({ rules }: { rules: readonly Rule[] }) {
  return (
    <Section id="rules" title="Rule results">
      {rules.length === 0 ? <Empty>No rule was evaluated.</Empty> : <DataTable caption="Rule results" columns={RULE_COLUMNS} rows={rules} rowKey={(r) => r.rule_id} testId="rules-table" />}
    </Section>
  );
}

/** Diagnostics lists that are not empty, each as a small JSON block (they differ in shape). */
export function DiagnosticsSection({ result }: { result: RebalanceResult }) {
  const { warnings, data_quality: dq, ...rest } = result.diagnostics;
  const lists = Object.entries(rest).filter(([, v]) => Array.isArray(v) && v.length > 0) as [string, unknown[]][];
  const missing = Object.entries(dq).filter(([, v]) => v.length > 0);
  return (
    <Section id="diagnostics" title="Diagnostics and warnings">
      <KeyValues
        items={[
          ['Summary', result.explanation.summary],
          ['Gate', result.gate_decision ? `${result.gate_decision.gate} → next step ${result.gate_decision.recommended_next_step}` : '—'],
          ['Reconciliation', result.reconciliation ? `${result.reconciliation.status} (delta ${formatMoney(result.reconciliation.delta)})` : '—'],
          ['Engine version', result.lineage.engine_version ?? 'not recorded'],
        ]}
      />
      <h3>Warnings</h3>
      {warnings.length === 0 ? (
        <Empty>No warnings.</Empty>
      ) : (
        <ul class="warnings" data-testid="warnings">
          {warnings.map((w) => (
            <li key={w}>
              <Mono>{w}</Mono>
            </li>
          ))}
        </ul>
      )}
      <h3>Data quality</h3>
      {missing.length === 0 ? (
        <Empty>Every price, FX rate and shelf entry was present.</Empty>
      ) : (
        <KeyValues items={missing.map(([k, v]) => [k.replace('_', ' '), v.join(', ')] as const)} />
      )}
      {lists.map(([name, items]) => (
        <details key={name} class="diagnostic">
          <summary>
            {name.replace(/_/g, ' ')} ({items.length})
          </summary>
          <pre class="json">{JSON.stringify(items, null, 2)}</pre>
        </details>
      ))}
    </Section>
  );
}

export function RebalanceResultView({ result }: { result: RebalanceResult }) {
  return (
    <>
      <AllocationSection result={result} />
      <TradesSection intents={result.intents} />
      <RulesSection rules={result.rule_results} />
      <DiagnosticsSection result={result} />
    </>
  );
}
