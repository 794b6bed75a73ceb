/**
 * The policy-pack catalog port. Backends: ENV_JSON (read-only, from DPM_POLICY_PACK_CATALOG_JSON),
 * SQLITE and POSTGRES (one shared SQL implementation, cached; see sql-catalog.ts).
 */
import type { PolicyPackDefinition } from '../../domain/policy-packs/model.ts';

export type PolicyPackCatalogBackendName = 'ENV_JSON' | 'SQLITE' | 'POSTGRES';

/** A pack as the catalog holds it. */
export interface StoredPolicyPack {
  readonly definition: PolicyPackDefinition;
  /**
   * The catalog's row revision (`dpm_policy_packs.version`): 1 on create, +1 on every upsert.
   * Not the definition's own `version` label. ENV_JSON packs are always revision 1.
   */
  readonly revision: number;
  /** ISO-8601 UTC. */
  readonly created_at: string;
  readonly updated_at: string;
}

/** An immutable view of the whole catalog; the hot path (simulate, analyze) reads this. */
export interface PolicyPackCatalogSnapshot {
  /** Packs by id. */
  readonly packs: ReadonlyMap<string, StoredPolicyPack>;
  /** Packs sorted by id (code-unit order, the same on every backend). */
  readonly sorted: readonly StoredPolicyPack[];
  /** The definitions by id, for `selectPolicyPack`. */
  readonly definitions: ReadonlyMap<string, PolicyPackDefinition>;
}

export interface PolicyPackCatalog {
  readonly backend: PolicyPackCatalogBackendName;
  /** False for ENV_JSON: upsert/delete throw `DPM_POLICY_PACK_CATALOG_READ_ONLY`. */
  readonly writable: boolean;
  /**
   * The catalog, from a cache: SQL backends ask the database at most once per `cacheTtlMs`
   * (a cheap change probe) and reload only when it changed. This replica's own writes are
   * visible immediately; another replica's within `cacheTtlMs` plus one probe.
   */
  snapshot(): Promise<PolicyPackCatalogSnapshot>;
  /** All packs sorted by id. */
  list(): Promise<readonly StoredPolicyPack[]>;
  get(policyPackId: string): Promise<StoredPolicyPack | null>;
  /** Create (revision 1) or replace (revision + 1); `definition` must already be validated. */
  upsert(definition: PolicyPackDefinition): Promise<StoredPolicyPack>;
  /** True when a pack was removed. */
  delete(policyPackId: string): Promise<boolean>;
}

export function buildSnapshot(packs: Iterable<StoredPolicyPack>): PolicyPackCatalogSnapshot {
  const sorted = [...packs].sort((a, b) =>
    a.definition.policy_pack_id < b.definition.policy_pack_id ? -1 : a.definition.policy_pack_id > b.definition.policy_pack_id ? 1 : 0,
  );
  return {
    packs: new Map(sorted.map((pack) => [pack.definition.policy_pack_id, pack])),
    sorted,
    definitions: new Map(sorted.map((pack) => [pack.definition.policy_pack_id, pack.definition])),
  };
}
