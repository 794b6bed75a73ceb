-- A recorded run of an everyday request is ~5 KB (its result ~4 KB, its canonical request ~1 KB).
-- At PostgreSQL's default toast_tuple_target (~2 KB) such a row is compressed and then still moved
-- out of line: two more heap rows and two more index entries in the TOAST table, four of the run's
-- ~29 WAL records. Compressing until the row fits 4 KB keeps it in its page (two runs per page);
-- larger results are compressed and moved out of line as before. Storage parameters only: nothing
-- is rewritten, existing rows stay as they are, and every release reads rows either way.
ALTER TABLE dpm_runs SET (toast_tuple_target = 4080);

-- pglz, the default compression, was ~13 % of the server's CPU per recorded run; lz4 does the same
-- job several times faster. Servers built without lz4 keep pglz (each value records its own
-- method, so the setting can change later without touching stored rows).
DO $$
BEGIN
  ALTER TABLE dpm_runs ALTER COLUMN result_json SET COMPRESSION lz4, ALTER COLUMN request_canonical SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'This server has no lz4: dpm_runs keeps pglz compression.';
END
$$;
