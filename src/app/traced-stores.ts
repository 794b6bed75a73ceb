/**
 * One span per store call (docs/operations.md#tracing-and-logs): `dpm_store.recordRun`,
 * `proposal_store.getVersion`, `policy_pack_catalog.snapshot` …, with the database system and the
 * operation as attributes, on every backend. Only calls made inside a recorded trace (a request, an
 * engine run) get one: the background workers' polling every second would otherwise fill the
 * trace backend with one-span traces that nobody asked for.
 */
import { trace } from '@opentelemetry/api';
import { ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME } from '@opentelemetry/semantic-conventions';
import { SpanKind, withSpan } from '../services/observability/telemetry.ts';

/** `postgresql` or `sqlite` (IN_MEMORY is SQLite `:memory:`); null for a store with no database (ENV_JSON). */
export type DatabaseSystem = 'postgresql' | 'sqlite' | null;

export function databaseSystemOf(backend: string): DatabaseSystem {
  if (backend === 'POSTGRES') return 'postgresql';
  if (backend === 'ENV_JSON') return null;
  return 'sqlite';
}

/** `port` with every method wrapped in a span named `<name>.<method>`. */
export function tracedPort<T extends object>(port: T, name: string, system: DatabaseSystem): T {
  const kind = system === 'postgresql' ? SpanKind.CLIENT : SpanKind.INTERNAL;
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return function traced(this: unknown, ...args: unknown[]): unknown {
        const call = () => (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!trace.getActiveSpan()?.isRecording()) return call();
        const attributes = { [ATTR_DB_OPERATION_NAME]: property, ...(system ? { [ATTR_DB_SYSTEM_NAME]: system } : {}) };
        return withSpan(`${name}.${property}`, { kind, attributes }, call);
      };
    },
  });
}
