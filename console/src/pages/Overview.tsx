/**
 * Overview: how much is happening and whether the service is healthy — runs per day by status,
 * proposals by state, async operations by status, each store's health, what PRODUCTION would
 * refuse, and the versions running.
 */
import { api, body } from '../api/client.ts';
import { capabilities } from '../api/capabilities.ts';
import { PROPOSAL_STATES } from '../api/rules.ts';
import { OPERATION_STATUSES, RUN_STATUSES, type Readiness, type RunListItem } from '../api/types.ts';
import { CategoryCountChart, TimeCountChart, type Count } from '../charts/CountChart.tsx';
import { KeyValues, Mono, Page, Section } from '../components/layout.tsx';
import { Empty, ErrorNotice, isSwitchedOff, Loading, SwitchedOff } from '../components/states.tsx';
import { StatusBadge, toneOf } from '../components/StatusBadge.tsx';
import { links } from '../links.ts';
import { utcDay } from '../lib/format.ts';
import { toQueryString } from '../lib/query.ts';
import { useResource } from '../lib/use-resource.ts';
import { Time } from '../components/Time.tsx';

const DAYS = 14;
/** Runs read for the per-day chart; beyond this the chart says it shows the newest ones. */
const RUN_SAMPLE = 1000;
/** Proposals counted per state; beyond this a state shows "100+". */
const PER_STATE = 100;

/** The last DAYS days, oldest first, as UTC day labels. */
function lastDays(): string[] {
  const today = Date.now();
  return Array.from({ length: DAYS }, (_, i) => utcDay(new Date(today - (DAYS - 1 - i) * 86_400_000).toISOString()));
}

async function runsPerDay(): Promise<{ counts: Count[]; days: string[]; total: number; capped: boolean }> {
  const days = lastDays();
  const from = `${days[0]}T00:00:00Z`;
  const runs: RunListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await body(api.GET('/rebalance/runs', { params: { query: { from, limit: 200, ...(cursor ? { cursor } : {}) } } }));
    runs.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && runs.length < RUN_SAMPLE);
  const byKey = new Map<string, Count>();
  for (const run of runs) {
    const key = `${utcDay(run.created_at)}|${run.status}`;
    const current = byKey.get(key);
    byKey.set(key, { x: utcDay(run.created_at), category: run.status, count: (current?.count ?? 0) + 1 });
  }
  return { counts: [...byKey.values()], days, total: runs.length, capped: cursor !== undefined };
}

async function proposalsByState(): Promise<{ state: string; count: number; more: boolean }[]> {
  return Promise.all(
    PROPOSAL_STATES.map(async (state) => {
      const page = await body(api.GET('/rebalance/proposals', { params: { query: { state, limit: PER_STATE } } }));
      return { state, count: page.items.length, more: page.next_cursor !== null };
    }),
  );
}

async function readiness(): Promise<Readiness> {
  // 503 while a store is down still carries the report.
  const { data, error } = await api.GET('/health/ready');
  return (data ?? error) as Readiness;
}

function Health() {
  const { resource } = useResource(async () => {
    const [ready, caps] = await Promise.all([readiness(), capabilities().catch(() => null)]);
    return { ready, apiVersion: caps?.apiVersion ?? 'unknown' };
  }, []);
  return (
    <Section id="health" title="Service health">
      {resource.state === 'loading' && <Loading what="the health report" />}
      {resource.state === 'error' && <ErrorNotice error={resource.error} />}
      {resource.state === 'ok' && (
        <>
          <KeyValues
            items={[
              ['Status', <StatusBadge status={resource.data.ready.status} />],
              ['Profile', resource.data.ready.profile],
              ...Object.entries(resource.data.ready.stores).map(
                ([store, s]) => [store.replace(/_/g, ' '), <span>{s.backend} {s.ready === false ? <StatusBadge status="not_ready" /> : <StatusBadge status="ready" />} {s.code && <Mono>{s.code}</Mono>}</span>] as const,
              ),
              ['API version', resource.data.apiVersion],
              ['Console build', __CONSOLE_BUILD__],
            ]}
          />
          <h3>Production readiness</h3>
          {resource.data.ready.production_readiness.ready ? (
            <p>
              <StatusBadge status="READY" /> PRODUCTION would accept this configuration.
            </p>
          ) : (
            <>
              <p>PRODUCTION would refuse this configuration:</p>
              <ul class="warnings" data-testid="readiness-findings">
                {resource.data.ready.production_readiness.violations.map((v) => (
                  <li key={v.code}>
                    <Mono>{v.code}</Mono>: {v.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          {(resource.data.ready.production_readiness.warnings ?? []).length > 0 && (
            <>
              <p>PRODUCTION would start, with these warnings:</p>
              <ul class="warnings" data-testid="readiness-warnings">
                {(resource.data.ready.production_readiness.warnings ?? []).map((w) => (
                  <li key={w.code}>
                    <Mono>{w.code}</Mono>: {w.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </Section>
  );
}

function RunsChart() {
  const { resource } = useResource(runsPerDay, []);
  return (
    <Section id="runs-per-day" title={`Runs per day, last ${DAYS} days`} actions={<a href={links.runs()}>All runs →</a>}>
      {resource.state === 'loading' && <Loading what="runs" />}
      {resource.state === 'error' && (isSwitchedOff(resource.error) ? <SwitchedOff error={resource.error} what="The run list" /> : <ErrorNotice error={resource.error} />)}
      {resource.state === 'ok' &&
        (resource.data.total === 0 ? (
          <Empty>No run in the last {DAYS} days.</Empty>
        ) : (
          <>
            <TimeCountChart counts={resource.data.counts} days={resource.data.days} label="Runs per day by status" categories={RUN_STATUSES} toneOf={toneOf} />
            {resource.data.capped && <p class="muted">Counted over the newest {resource.data.total} runs.</p>}
            <ul class="button-row">
              {RUN_STATUSES.map((s) => (
                <li key={s} class="legend">
                  <a href={links.runs(toQueryString({ status: s }))}>{s} runs</a>
                </li>
              ))}
            </ul>
          </>
        ))}
    </Section>
  );
}

function ProposalsChart() {
  const { resource } = useResource(proposalsByState, []);
  return (
    <Section id="proposals-by-state" title="Proposals by state" actions={<a href={links.proposals()}>All proposals →</a>}>
      {resource.state === 'loading' && <Loading what="proposals" />}
      {resource.state === 'error' && (isSwitchedOff(resource.error) ? <SwitchedOff error={resource.error} what="The proposal lifecycle" /> : <ErrorNotice error={resource.error} />)}
      {resource.state === 'ok' &&
        (resource.data.every((s) => s.count === 0) ? (
          <Empty>No proposal yet.</Empty>
        ) : (
          <>
            <CategoryCountChart counts={resource.data.map((s) => ({ x: s.state, category: s.state, count: s.count }))} label="Proposals by state" toneOf={toneOf} />
            {resource.data.some((s) => s.more) && <p class="muted">States with more than {PER_STATE} proposals are shown as {PER_STATE}.</p>}
          </>
        ))}
    </Section>
  );
}

function OperationsAndReviews() {
  const { resource } = useResource(() => body(api.GET('/rebalance/supportability/summary')), []);
  return (
    <Section id="operations-by-status" title="Async operations and reviews" actions={<a href={links.operations()}>All operations →</a>}>
      {resource.state === 'loading' && <Loading what="the summary" />}
      {resource.state === 'error' && (isSwitchedOff(resource.error) ? <SwitchedOff error={resource.error} what="The supportability summary" /> : <ErrorNotice error={resource.error} />)}
      {resource.state === 'ok' &&
        (() => {
          const s = resource.data;
          const ops = s.operation_status_counts as Record<string, number>;
          return (
            <>
              <ul class="stat-cards">
                <li>
                  <strong>{s.run_count}</strong> runs recorded
                </li>
                <li>
                  <strong>{s.operation_count}</strong> async operations
                </li>
                <li>
                  <strong>{s.workflow_decision_count}</strong> review decisions
                </li>
                <li>
                  <strong>{s.lineage_edge_count}</strong> lineage edges
                </li>
              </ul>
              {s.operation_count === 0 ? (
                <Empty>No async operation yet.</Empty>
              ) : (
                <CategoryCountChart counts={OPERATION_STATUSES.map((st) => ({ x: st, category: st, count: ops[st] ?? 0 }))} label="Async operations by status" toneOf={toneOf} />
              )}
              <KeyValues
                items={[
                  ['Store', s.store_backend],
                  ['Retention', s.retention_days === 0 ? 'runs are kept forever' : `${s.retention_days} days`],
                  ['Oldest run', <Time iso={s.oldest_run_created_at} />],
                  ['Newest run', <Time iso={s.newest_run_created_at} />],
                ]}
              />
            </>
          );
        })()}
    </Section>
  );
}

export function Overview() {
  return (
    <Page title="Overview" subtitle="What the service has been doing, and whether it is healthy.">
      <div class="grid">
        <RunsChart />
        <ProposalsChart />
        <OperationsAndReviews />
        <Health />
      </div>
    </Page>
  );
}
