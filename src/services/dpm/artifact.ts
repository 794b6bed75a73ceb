/**
 * Run artifacts per DPM_ARTIFACT_STORE_MODE (docs/dpm-api.md#artifacts). DERIVED builds the
 * artifact from the stored run on every read. PERSISTED stores it once the run is recorded and
 * serves the stored copy; a run without one (recorded before the mode was switched on, or whose
 * artifact write failed) gets it built, saved and returned on first read (backfill).
 */
import type { Logger } from 'pino';
import { redactSecrets } from '../../config/redact.ts';
import type { DpmArtifactStoreMode } from '../../config/dpm-settings.ts';
import { buildRunArtifact } from '../../domain/dpm/run-artifact.ts';
import type { DpmRunStore, RunRecord } from '../../stores/dpm-runs/port.ts';

export interface DpmArtifactResolver {
  artifactOf(run: RunRecord): Promise<unknown>;
}

export function createDpmArtifactResolver(deps: { store: DpmRunStore; mode: DpmArtifactStoreMode }): DpmArtifactResolver {
  return {
    async artifactOf(run) {
      if (deps.mode === 'DERIVED') return buildRunArtifact(run);
      const stored = await deps.store.getArtifact(run.rebalance_run_id);
      if (stored !== null && stored !== undefined) return stored;
      const built = buildRunArtifact(run);
      await deps.store.saveArtifact(run.rebalance_run_id, built, run.created_at);
      return built;
    },
  };
}

/**
 * PERSISTED mode: wraps the store so every newly recorded run (simulate and analyze alike) gets
 * its artifact saved right after the run's transaction. The artifact is written after the run
 * commits rather than inside it, so an artifact failure never loses an acknowledged run; the
 * read path backfills whatever is missing.
 */
export function persistingArtifacts(store: DpmRunStore, logger: Pick<Logger, 'warn'>): DpmRunStore {
  return {
    ...store,
    async recordRun(input) {
      const outcome = await store.recordRun(input);
      if (outcome.outcome === 'recorded') {
        const { run } = outcome;
        await store.saveArtifact(run.rebalance_run_id, buildRunArtifact(run), run.created_at).catch((error: unknown) => {
          logger.warn({ rebalance_run_id: run.rebalance_run_id, reason: redactSecrets(error instanceof Error ? error.message : String(error)) }, 'Run artifact not persisted; it is built on first read');
        });
      }
      return outcome;
    },
  };
}
