/**
 * Readiness is reported per store. Each opened store contributes a probe; `/health/ready`
 * answers 503 as soon as one probe fails, so an orchestrator stops routing traffic here.
 */
import type { PersistenceProfile } from '../config/settings.ts';
import type { Violation } from '../config/variables.ts';

export type StoreName = 'dpm_supportability' | 'proposals' | 'policy_pack_catalog';

export interface ProbeResult {
  readonly ready: boolean;
  /** Reason code when not ready. */
  readonly code?: string;
}

export interface StoreProbe {
  readonly store: StoreName;
  readonly backend: string;
  check(): Promise<ProbeResult>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly profile: PersistenceProfile;
  readonly stores: Readonly<Record<string, { readonly backend: string } & Partial<ProbeResult>>>;
  /**
   * Shadow validation: what a switch to PRODUCTION would refuse
   * (docs/runbook-cutover.md#the-four-rollout-gates).
   */
  readonly production_readiness: {
    readonly ready: boolean;
    readonly violations: { readonly code: string; readonly message: string }[];
    /** What PRODUCTION reports but allows (e.g. no authentication); `ready` ignores them. */
    readonly warnings: { readonly code: string; readonly message: string }[];
  };
}

export interface ReadinessSource {
  report(): Promise<ReadinessReport>;
}

export function createReadinessSource(options: {
  profile: PersistenceProfile;
  backends: Readonly<Record<StoreName, string>>;
  probes: () => readonly StoreProbe[];
  shadowViolations: readonly Violation[];
  productionWarnings: readonly Violation[];
}): ReadinessSource {
  const production_readiness = {
    ready: options.shadowViolations.length === 0,
    violations: options.shadowViolations.map(({ code, message }) => ({ code, message })),
    warnings: options.productionWarnings.map(({ code, message }) => ({ code, message })),
  };
  return {
    async report() {
      const stores: Record<string, { backend: string } & Partial<ProbeResult>> = {};
      for (const [store, backend] of Object.entries(options.backends)) stores[store] = { backend };
      const probes = options.probes();
      const results = await Promise.all(probes.map((p) => p.check().catch((): ProbeResult => ({ ready: false, code: 'PROBE_FAILED' }))));
      probes.forEach((probe, i) => {
        stores[probe.store] = { backend: probe.backend, ...results[i] };
      });
      return {
        ready: results.every((r) => r.ready),
        profile: options.profile,
        stores,
        production_readiness,
      };
    },
  };
}
