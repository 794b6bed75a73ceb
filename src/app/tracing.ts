/**
 * Starts OpenTelemetry tracing when the settings ask for it (docs/operations.md#tracing-and-logs):
 * a NodeTracerProvider (AsyncLocalStorage context, W3C trace context) registered globally, a batch
 * span processor and the OTLP/HTTP or console exporter, `service.name` from OTEL_SERVICE_NAME and
 * `service.version` = the engine version. Everything else in the service uses only the API
 * (src/services/observability/telemetry.ts), which stays a no-op when this is not started.
 *
 * Auto-instrumentation (http, pg) is not used: it has to patch modules before they load, which for
 * this ESM program means a loader hook on every start command; the spans it would add are made here
 * instead — the request span by the HTTP layer (with the route and the service's error code), and
 * one span per store call on every backend, SQLite included, where a pg instrumentation would see
 * PostgreSQL only.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import { redactSecrets } from '../config/redact.ts';
import type { TracesSampler, TracingSettings } from '../config/tracing.ts';
import { engineVersion } from './build-info.ts';

export interface Tracing {
  readonly enabled: boolean;
  /** Exports the spans still buffered, then stops (called when the app closes). */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: async () => undefined };

function samplerOf(name: TracesSampler, ratio: number): Sampler {
  const root = { ALWAYS_ON: new AlwaysOnSampler(), ALWAYS_OFF: new AlwaysOffSampler(), TRACEIDRATIO: new TraceIdRatioBasedSampler(ratio) };
  switch (name) {
    case 'ALWAYS_ON':
    case 'ALWAYS_OFF':
    case 'TRACEIDRATIO':
      return root[name];
    case 'PARENTBASED_ALWAYS_ON':
      return new ParentBasedSampler({ root: root.ALWAYS_ON });
    case 'PARENTBASED_ALWAYS_OFF':
      return new ParentBasedSampler({ root: root.ALWAYS_OFF });
    case 'PARENTBASED_TRACEIDRATIO':
      return new ParentBasedSampler({ root: root.TRACEIDRATIO });
  }
}

function exporterOf(settings: TracingSettings): SpanExporter {
  if (settings.exporter === 'CONSOLE') return new ConsoleSpanExporter();
  return new OTLPTraceExporter({ url: settings.otlpTracesUrl, headers: { ...settings.otlpHeaders } });
}

export function startTracing(settings: TracingSettings, logger: Logger): Tracing {
  if (!settings.enabled) return OFF;
  // The SDK's own complaints (an unreachable collector, a dropped batch) become warnings in our log.
  diag.setLogger(
    {
      error: (message, ...args) => logger.warn({ detail: args.map(String) }, `OpenTelemetry: ${message}`),
      warn: (message, ...args) => logger.warn({ detail: args.map(String) }, `OpenTelemetry: ${message}`),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: engineVersion() }),
    sampler: samplerOf(settings.sampler, settings.samplerRatio),
    spanProcessors: [new BatchSpanProcessor(exporterOf(settings))],
  });
  provider.register();
  // Never the headers, which may carry credentials; a password in the URL is redacted.
  const endpoint = settings.exporter === 'OTLP' ? redactSecrets(settings.otlpTracesUrl) : undefined;
  logger.info({ exporter: settings.exporter, endpoint, sampler: settings.sampler, service_name: settings.serviceName }, 'Tracing on');
  return { enabled: true, shutdown: () => provider.shutdown() };
}
