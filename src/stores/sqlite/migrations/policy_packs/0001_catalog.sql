-- Policy-pack catalog. Its own namespace, so a catalog DSN never receives the run tables.
CREATE TABLE dpm_policy_packs (
  policy_pack_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL CHECK (version >= 1),
  definition_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
