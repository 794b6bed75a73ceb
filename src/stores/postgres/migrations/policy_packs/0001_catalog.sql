-- Policy-pack catalog. Its own namespace, so a catalog DSN never receives the run tables.
CREATE TABLE dpm_policy_packs (
  policy_pack_id text PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 1),
  definition_json jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The catalog cache asks "did anything change?" on every refresh; this makes it an index lookup.
CREATE INDEX dpm_policy_packs_updated_at_idx ON dpm_policy_packs (updated_at DESC);
