/**
 * Policy packs: the catalog, and a tester that asks the service which pack applies to a request
 * with a given pack id, tenant default and tenant id (the same headers a client sends).
 */
import { useLocation } from 'preact-iso';
import { api, body } from '../api/client.ts';
import type { PolicyPack } from '../api/types.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FilterForm, type FilterField } from '../components/FilterForm.tsx';
import { KeyValues, Mono, Page, Section } from '../components/layout.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { links } from '../links.ts';
import { pick } from '../lib/query.ts';
import { useResource } from '../lib/use-resource.ts';

const TESTER: readonly FilterField[] = [
  { name: 'policy_pack_id', label: 'X-Policy-Pack-Id (request)' },
  { name: 'tenant_policy_pack_id', label: 'X-Tenant-Policy-Pack-Id (tenant default)' },
  { name: 'tenant_id', label: 'X-Tenant-Id' },
];

function headersOf(query: Record<string, string>) {
  const q = pick(query, TESTER.map((f) => f.name));
  return {
    ...(q['policy_pack_id'] ? { 'X-Policy-Pack-Id': q['policy_pack_id'] } : {}),
    ...(q['tenant_policy_pack_id'] ? { 'X-Tenant-Policy-Pack-Id': q['tenant_policy_pack_id'] } : {}),
    ...(q['tenant_id'] ? { 'X-Tenant-Id': q['tenant_id'] } : {}),
  };
}

/** The pack's overrides that are set, as "field: value" lines. */
function overrides(pack: PolicyPack): string[] {
  const { policy_pack_id: _id, version: _version, ...policies } = pack;
  return Object.entries(policies).flatMap(([policy, fields]) =>
    Object.entries(fields as Record<string, unknown>)
      .filter(([, v]) => v !== null && !(typeof v === 'object' && Object.keys(v as object).length === 0))
      .map(([k, v]) => `${policy}.${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
  );
}

export function PolicyPacks() {
  const { query } = useLocation();
  const key = JSON.stringify(query);
  const { resource } = useResource(async () => {
    const header = headersOf(query);
    const [catalog, effective] = await Promise.all([
      body(api.GET('/rebalance/policies/catalog', { params: { header } })),
      body(api.GET('/rebalance/policies/effective', { params: { header } })),
    ]);
    return { catalog, effective };
  }, [key]);
  const tested = Object.keys(headersOf(query)).length > 0;
  return (
    <Page title="Policy packs" subtitle="The packs of rules that can override a rebalance's options, and which one applies to a request.">
      <Section id="tester" title="Which pack applies?">
        <p class="muted">The service resolves the request's pack id first, then the tenant default, then the tenant map, then the global default.</p>
        <FilterForm fields={TESTER} basePath={links.policyPacks()} label="Resolve a policy pack" submitLabel="Resolve" />
        {resource.state === 'ok' && (
          <div data-testid="pack-resolution" role="status">
            <KeyValues
              items={[
                ['Policy packs', resource.data.effective.enabled ? 'enabled' : 'disabled on this service'],
                ['Applies', resource.data.effective.selected_policy_pack_id ? <Mono>{resource.data.effective.selected_policy_pack_id}</Mono> : 'no pack'],
                ['Because of', resource.data.effective.source],
                ['In the catalog', resource.data.catalog.selected_policy_pack_present ? 'yes' : 'no (an unknown id changes nothing)'],
              ]}
            />
            {!tested && <p class="muted">Without headers: what applies to a request that names no pack and no tenant.</p>}
          </div>
        )}
      </Section>
      <Section id="catalog" title="Catalog">
        {resource.state === 'loading' && <Loading what="the catalog" />}
        {resource.state === 'error' && <ErrorNotice error={resource.error} />}
        {resource.state === 'ok' &&
          (resource.data.catalog.items.length === 0 ? (
            <Empty>The catalog is empty.</Empty>
          ) : (
            <DataTable
              caption="Policy-pack catalog"
              rows={resource.data.catalog.items}
              rowKey={(p) => p.policy_pack_id}
              testId="packs-table"
              columns={[
                { header: 'Pack', cell: (p) => <Mono>{p.policy_pack_id}</Mono> },
                { header: 'Version', cell: (p) => p.version },
                {
                  header: 'Overrides',
                  cell: (p) => {
                    const lines = overrides(p);
                    return lines.length === 0 ? 'none' : <ul class="warnings">{lines.map((l) => <li key={l}>{l}</li>)}</ul>;
                  },
                },
              ]}
            />
          ))}
      </Section>
    </Page>
  );
}
