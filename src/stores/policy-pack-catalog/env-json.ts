/**
 * ENV_JSON: the catalog is DPM_POLICY_PACK_CATALOG_JSON, parsed and validated once at open.
 *
 * Unlike the reference (which silently drops anything invalid), a wrong value is a startup
 * error: invalid JSON or a non-object → DPM_POLICY_PACK_CATALOG_JSON_INVALID; an invalid entry
 * → DPM_POLICY_PACK_DEFINITION_INVALID:<pack id> with every bad field in the message. The
 * catalog is read-only: writes throw DPM_POLICY_PACK_CATALOG_READ_ONLY (the reference mutated
 * an in-process copy that each replica kept separately and lost on restart).
 */
import { ReasonError } from '../../config/reason-codes.ts';
import { describeProblems, parsePolicyPackDefinition, type PolicyPackProblem } from '../../domain/policy-packs/model.ts';
import { buildSnapshot, type PolicyPackCatalog, type PolicyPackCatalogSnapshot, type StoredPolicyPack } from './port.ts';

function readOnly(): ReasonError {
  return new ReasonError(
    'DPM_POLICY_PACK_CATALOG_READ_ONLY',
    'The ENV_JSON policy-pack catalog is read-only; change DPM_POLICY_PACK_CATALOG_JSON, or use the SQLITE or POSTGRES backend.',
  );
}

/** Parses DPM_POLICY_PACK_CATALOG_JSON into a snapshot; unset or blank is an empty catalog. */
export function parsePolicyPackCatalogJson(raw: string | undefined | null, loadedAt: string): PolicyPackCatalogSnapshot {
  if (raw === undefined || raw === null || raw.trim() === '') return buildSnapshot([]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ReasonError('DPM_POLICY_PACK_CATALOG_JSON_INVALID', `DPM_POLICY_PACK_CATALOG_JSON is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReasonError('DPM_POLICY_PACK_CATALOG_JSON_INVALID', 'DPM_POLICY_PACK_CATALOG_JSON must be a JSON object {"<policy_pack_id>": {definition}}.');
  }

  const packs: StoredPolicyPack[] = [];
  const seen = new Set<string>();
  const invalid: { id: string; problems: readonly PolicyPackProblem[] }[] = [];
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const id = key.trim();
    if (seen.has(id)) {
      invalid.push({ id, problems: [{ field: 'policy_pack_id', code: 'format', message: `Pack id ${JSON.stringify(id)} appears twice after trimming.` }] });
      continue;
    }
    seen.add(id);
    const result = parsePolicyPackDefinition(id, value, { lenientVersion: true });
    if (!result.ok) {
      invalid.push({ id, problems: result.problems });
      continue;
    }
    packs.push({ definition: result.value, revision: 1, created_at: loadedAt, updated_at: loadedAt });
  }
  const first = invalid[0];
  if (first) {
    const message = invalid.map((entry) => `pack ${JSON.stringify(entry.id)}: ${describeProblems(entry.problems)}`).join(' | ');
    throw new ReasonError('DPM_POLICY_PACK_DEFINITION_INVALID', `DPM_POLICY_PACK_CATALOG_JSON has invalid entries: ${message}`, {
      details: [first.id],
    });
  }
  return buildSnapshot(packs);
}

export function createEnvJsonPolicyPackCatalog(raw: string | undefined | null, loadedAt: string): PolicyPackCatalog {
  const snapshot = parsePolicyPackCatalogJson(raw, loadedAt);
  return {
    backend: 'ENV_JSON',
    writable: false,
    snapshot: async () => snapshot,
    list: async () => snapshot.sorted,
    get: async (id) => snapshot.packs.get(id) ?? null,
    upsert: () => Promise.reject(readOnly()),
    delete: () => Promise.reject(readOnly()),
  };
}
