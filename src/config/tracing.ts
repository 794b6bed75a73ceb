/**
 * OpenTelemetry tracing settings, read from the standard OTEL_* variables
 * (docs/operations.md#tracing-and-logs). Only the variables below are read, here, like every other
 * setting; src/app/tracing.ts hands the result to the SDK.
 *
 * One deliberate departure from the SDK's defaults: tracing is **off** unless a variable asks for
 * it — `OTEL_TRACES_EXPORTER=otlp|console`, or an OTLP endpoint — where the SDK would start
 * exporting to localhost:4318 by default. `OTEL_SDK_DISABLED=true` wins over everything.
 */
import { enumVariable, flagVariable, numberVariable, textVariable, urlVariable, type Env, type ValuesOf, type Variable } from './variables.ts';

export const TRACES_EXPORTERS = ['NONE', 'OTLP', 'CONSOLE'] as const;
export type TracesExporter = (typeof TRACES_EXPORTERS)[number];

export const TRACES_SAMPLERS = [
  'PARENTBASED_ALWAYS_ON',
  'PARENTBASED_ALWAYS_OFF',
  'PARENTBASED_TRACEIDRATIO',
  'ALWAYS_ON',
  'ALWAYS_OFF',
  'TRACEIDRATIO',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

export interface TracingSettings {
  /** Spans are recorded and exported. */
  readonly enabled: boolean;
  readonly exporter: TracesExporter;
  /** Where OTLP spans are POSTed (`…/v1/traces`). */
  readonly otlpTracesUrl: string;
  /** Sent with every export (e.g. an API key); never logged. */
  readonly otlpHeaders: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly sampler: TracesSampler;
  /** The ratio of the TRACEIDRATIO samplers. */
  readonly samplerRatio: number;
}

const SPEC_DEFAULT_ENDPOINT = 'http://localhost:4318';

/** `k1=v1,k2=v2` (W3C baggage style, values URL-encoded) → headers; null when malformed. */
function parseHeaders(text: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) return null;
    try {
      headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return null;
    }
  }
  return headers;
}

/** OTEL_EXPORTER_OTLP_HEADERS: a secret, so a malformed value is reported without echoing it. */
function headersVariable(): Variable<Readonly<Record<string, string>>> {
  const name = 'OTEL_EXPORTER_OTLP_HEADERS';
  return {
    name,
    description: 'Headers sent with every export, as key=value pairs separated by commas (values URL-encoded), e.g. an API key. Never logged.',
    allowed: 'key=value[,key=value…]',
    defaultText: '(none)',
    codes: ['OTEL_EXPORTER_OTLP_HEADERS_INVALID'],
    read(env) {
      const headers = parseHeaders(env[name] ?? '');
      if (headers) return { ok: true, value: headers };
      return { ok: false, violation: { code: 'OTEL_EXPORTER_OTLP_HEADERS_INVALID', variable: name, message: `${name} is not a comma-separated list of key=value pairs.` } };
    },
  };
}

export const TRACING_VARIABLES = {
  otelSdkDisabled: flagVariable({ name: 'OTEL_SDK_DISABLED', description: 'Turns tracing off whatever else is set.', defaultValue: false }),
  otelTracesExporter: enumVariable({
    name: 'OTEL_TRACES_EXPORTER',
    description:
      'Where spans go: OTLP (HTTP, to the endpoint below), CONSOLE (stdout, for a developer) or NONE. Unset: OTLP when an OTLP endpoint is set, else NONE — tracing is off unless asked for.',
    values: TRACES_EXPORTERS,
    defaultValue: 'NONE',
    invalidCode: 'CONFIG_ENUM_INVALID',
  }),
  otelEndpoint: urlVariable({
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    description: 'Base URL of the OTLP/HTTP receiver (a collector); spans go to <it>/v1/traces. Setting it turns tracing on.',
    defaultText: `(unset; ${SPEC_DEFAULT_ENDPOINT} when OTEL_TRACES_EXPORTER=otlp)`,
  }),
  otelTracesEndpoint: urlVariable({
    name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    description: 'Full URL spans are POSTed to; wins over OTEL_EXPORTER_OTLP_ENDPOINT. Setting it turns tracing on.',
    defaultText: '(unset)',
  }),
  otelHeaders: headersVariable(),
  otelServiceName: textVariable({
    name: 'OTEL_SERVICE_NAME',
    description: 'service.name of every span (service.version is the engine version: package version + git commit).',
    defaultValue: 'dpm-rebalance-service',
  }),
  otelSampler: enumVariable({
    name: 'OTEL_TRACES_SAMPLER',
    description: 'Which traces are recorded. The parent-based samplers follow the sampled flag of an incoming traceparent.',
    values: TRACES_SAMPLERS,
    defaultValue: 'PARENTBASED_ALWAYS_ON',
    invalidCode: 'CONFIG_ENUM_INVALID',
  }),
  otelSamplerArg: numberVariable({
    name: 'OTEL_TRACES_SAMPLER_ARG',
    description: 'The share of traces the TRACEIDRATIO samplers record.',
    defaultValue: 1,
    min: 0,
    max: 1,
  }),
};

type TracingValues = ValuesOf<typeof TRACING_VARIABLES>;

/** The tracing settings from the variables read (`env` tells whether the exporter was set at all). */
export function tracingSettings(env: Env, v: TracingValues): TracingSettings {
  const exporterSet = env[TRACING_VARIABLES.otelTracesExporter.name]?.trim();
  const endpointSet = v.otelEndpoint !== '' || v.otelTracesEndpoint !== '';
  const exporter: TracesExporter = exporterSet ? v.otelTracesExporter : endpointSet ? 'OTLP' : 'NONE';
  const base = (v.otelEndpoint || SPEC_DEFAULT_ENDPOINT).replace(/\/+$/, '');
  return {
    enabled: !v.otelSdkDisabled && exporter !== 'NONE',
    exporter,
    otlpTracesUrl: v.otelTracesEndpoint || `${base}/v1/traces`,
    otlpHeaders: v.otelHeaders,
    serviceName: v.otelServiceName,
    sampler: v.otelSampler,
    samplerRatio: v.otelSamplerArg,
  };
}
