/**
 * Turns a plan's problems into the error a migrator must stop with: drift first, then unknown
 * versions, then gaps. Future versions are not a problem (docs/migrations.md).
 */
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
      `The database has migration ${plan.namespace}:${unknown}, which this release does not know although it is not newer than this release's files (a deleted or renumbered file?).`,
      { details: [plan.namespace, unknown] },
    );
  }
  const gap = plan.gaps[0];
  if (gap) {
    throw new ReasonError(
      `${engine}_MIGRATION_GAP`,
      `Migration ${plan.namespace}:${gap} was never applied, but the database already has later versions; applying it now would run it out of order.`,
      { details: [plan.namespace, gap] },
    );
  }
}
