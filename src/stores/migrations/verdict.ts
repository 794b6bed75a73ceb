/** Turns a plan's problems into the error a migrator must stop with (drift first, then unknown versions). */
import { ReasonError } from '../../config/reason-codes.ts';
import type { MigrationEngine } from './namespaces.ts';
import type { MigrationPlan } from './plan.ts';

export function assertMigratable(plan: MigrationPlan, engine: MigrationEngine): void {
  const drift = plan.checksumDrift[0];
  if (drift) {
    throw new ReasonError(
      `${engine}_MIGRATION_CHECKSUM_MISMATCH`,
      `Applied migration ${plan.namespace}:${drift.version} no longer matches its file (applied ${drift.appliedChecksum.slice(0, 12)}…, file ${drift.fileChecksum.slice(0, 12)}…). Applied files must never be edited.`,
      { details: [plan.namespace, drift.version] },
    );
  }
  const unknown = plan.unknown[0];
  if (unknown) {
    throw new ReasonError(
      `${engine}_MIGRATION_UNKNOWN_VERSION`,
      `The database has migration ${plan.namespace}:${unknown} that this code does not know: it is newer than this release.`,
      { details: [plan.namespace, unknown] },
    );
  }
}
