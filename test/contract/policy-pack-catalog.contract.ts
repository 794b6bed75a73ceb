/**
 * The behaviour every policy-pack catalog backend must show, run unchanged against ENV_JSON
 * (read operations), SQLITE and POSTGRES by policy-pack-catalog.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicyPackDefinition, type PolicyPackDefinition } from '../../src/domain/policy-packs/model.ts';
import type { PolicyPackCatalog } from '../../src/stores/policy-pack-catalog/port.ts';

export interface PolicyPackCatalogHandle {
  readonly catalog: PolicyPackCatalog;
  close(): Promise<void>;
}

/**
 * Opens a catalog holding exactly `seed` ({id: raw definition}). ENV_JSON seeds through
 * DPM_POLICY_PACK_CATALOG_JSON; SQL backends through upsert.
 */
export type OpenSeeded = (seed: Record<string, unknown>) => Promise<PolicyPackCatalogHandle>;

export function definition(id: string, raw: Record<string, unknown>): PolicyPackDefinition {
  const result = parsePolicyPackDefinition(id, { version: '1', ...raw });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

export const SEED: Record<string, Record<string, unknown>> = {
  b_pack: { version: '2', turnover_policy: { max_turnover_pct: '0.10' } },
  A_pack: { version: '1', constraint_policy: { group_constraints: { 'sector:TECH': { max_weight: '0.3' } } } },
  a_pack: { version: 'x', tax_policy: { enable_tax_awareness: true, max_realized_capital_gains: '0' } },
};

export function policyPackCatalogContract(name: string, openSeeded: OpenSeeded, options: { writable: boolean }): void {
  describe(`policy-pack catalog contract: ${name}`, () => {
    let handle: PolicyPackCatalogHandle | undefined;
    const open = async (seed: Record<string, unknown> = SEED): Promise<PolicyPackCatalog> => {
      handle = await openSeeded(seed);
      return handle.catalog;
    };
    afterEach(async () => {
      await handle?.close();
      handle = undefined;
    });

    it('lists every pack sorted by id (code-unit order) in output form', async () => {
      const catalog = await open();
      const list = await catalog.list();
      expect(list.map((p) => p.definition.policy_pack_id)).toEqual(['A_pack', 'a_pack', 'b_pack']);
      expect(list.map((p) => p.definition)).toEqual([
        definition('A_pack', SEED['A_pack']!),
        definition('a_pack', SEED['a_pack']!),
        definition('b_pack', SEED['b_pack']!),
      ]);
      for (const pack of list) {
        expect(pack.revision).toBe(1);
        expect(Number.isNaN(Date.parse(pack.updated_at))).toBe(false);
      }
    });

    it('gets one pack by exact id; an unknown id is null', async () => {
      const catalog = await open();
      expect((await catalog.get('b_pack'))?.definition).toEqual(definition('b_pack', SEED['b_pack']!));
      expect(await catalog.get('B_PACK')).toBeNull();
      expect(await catalog.get('missing')).toBeNull();
    });

    it('the snapshot serves the hot path: definitions by id', async () => {
      const catalog = await open();
      const snapshot = await catalog.snapshot();
      expect([...snapshot.definitions.keys()]).toEqual(['A_pack', 'a_pack', 'b_pack']);
      expect(snapshot.definitions.get('a_pack')?.tax_policy.max_realized_capital_gains).toBe('0');
    });

    it('an empty catalog lists nothing', async () => {
      const catalog = await open({});
      expect(await catalog.list()).toEqual([]);
    });

    if (!options.writable) {
      it('refuses writes with DPM_POLICY_PACK_CATALOG_READ_ONLY and stays unchanged', async () => {
        const catalog = await open();
        expect(catalog.writable).toBe(false);
        await expect(catalog.upsert(definition('new', {}))).rejects.toMatchObject({ code: 'DPM_POLICY_PACK_CATALOG_READ_ONLY' });
        await expect(catalog.delete('a_pack')).rejects.toMatchObject({ code: 'DPM_POLICY_PACK_CATALOG_READ_ONLY' });
        expect(await catalog.list()).toHaveLength(3);
      });
      return;
    }

    it('upsert creates at revision 1, replaces with revision + 1, and keeps created_at', async () => {
      const catalog = await open({});
      const first = await catalog.upsert(definition('p1', { version: 'v1' }));
      expect(first.revision).toBe(1);
      const replacement = definition('p1', { version: 'v2', settlement_policy: { settlement_horizon_days: 0 } });
      const second = await catalog.upsert(replacement);
      expect(second.revision).toBe(2);
      expect(second.created_at).toBe(first.created_at);
      const read = await catalog.get('p1');
      expect(read?.definition).toEqual(replacement);
      expect(read?.revision).toBe(2);
      expect((await catalog.list()).map((p) => p.definition.version)).toEqual(['v2']);
    });

    it("this replica's own writes are visible at once (cache invalidated)", async () => {
      const catalog = await open();
      await catalog.list(); // warm the cache
      await catalog.upsert(definition('c_pack', {}));
      expect((await catalog.list()).map((p) => p.definition.policy_pack_id)).toEqual(['A_pack', 'a_pack', 'b_pack', 'c_pack']);
      expect(await catalog.delete('A_pack')).toBe(true);
      expect(await catalog.get('A_pack')).toBeNull();
      expect((await catalog.snapshot()).definitions.has('A_pack')).toBe(false);
    });

    it('delete reports whether the pack existed', async () => {
      const catalog = await open();
      expect(await catalog.delete('a_pack')).toBe(true);
      expect(await catalog.delete('a_pack')).toBe(false);
      expect(await catalog.delete('never')).toBe(false);
      expect((await catalog.list()).map((p) => p.definition.policy_pack_id)).toEqual(['A_pack', 'b_pack']);
    });

    it('concurrent upserts of one pack each bump the revision exactly once', async () => {
      const catalog = await open({});
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => catalog.upsert(definition('race', { version: String(i) }))));
      expect(results.map((r) => r.revision).sort()).toEqual([1, 2, 3, 4, 5]);
      expect((await catalog.get('race'))?.revision).toBe(5);
    });
  });
}
