/**
 * The OTEL_* variables (docs/operations.md#tracing-and-logs) and HTTP_BODY_LIMIT_BYTES: tracing is
 * off unless a variable asks for it, OTEL_SDK_DISABLED wins, endpoints resolve as the OTLP
 * specification says, and bad values are violations with codes that never echo a secret.
 */
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.ts';

const tracing = (env: Record<string, string>) => loadSettings(env).settings.tracing;
const codes = (env: Record<string, string>) => loadSettings(env).violations.map((v) => v.code);

describe('tracing settings', () => {
  it('are off by default, unlike the SDK, which would export to localhost:4318', () => {
    expect(tracing({})).toMatchObject({ enabled: false, exporter: 'NONE', sampler: 'PARENTBASED_ALWAYS_ON', serviceName: 'dpm-rebalance-service' });
  });

  it('an OTLP endpoint turns them on, spans going to <endpoint>/v1/traces', () => {
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toMatchObject({ enabled: true, exporter: 'OTLP', otlpTracesUrl: 'http://collector:4318/v1/traces' });
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces' })).toMatchObject({ otlpTracesUrl: 'https://b/traces' });
    expect(tracing({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ enabled: true, otlpTracesUrl: 'http://localhost:4318/v1/traces' });
    expect(tracing({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ enabled: true, exporter: 'CONSOLE' });
  });

  it('OTEL_TRACES_EXPORTER=none and OTEL_SDK_DISABLED=true keep them off', () => {
    expect(tracing({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).enabled).toBe(false);
    expect(tracing({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(false);
  });

  it('parses headers, sampler and ratio', () => {
    expect(tracing({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%3Dcret, x-tenant = t1', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toMatchObject({
      otlpHeaders: { 'api-key': 's=cret', 'x-tenant': 't1' },
      sampler: 'PARENTBASED_TRACEIDRATIO',
      samplerRatio: 0.25,
    });
  });

  it('refuses bad values with their codes, never echoing a header or URL', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'topsecret', OTEL_TRACES_SAMPLER_ARG: '1.5', OTEL_TRACES_EXPORTER: 'jaeger' };
    expect(codes(env)).toEqual(['CONFIG_ENUM_INVALID', 'CONFIG_URL_INVALID', 'OTEL_EXPORTER_OTLP_HEADERS_INVALID', 'CONFIG_NUMBER_INVALID']);
    const messages = loadSettings(env).violations.map((v) => v.message).join('\n');
    expect(messages).not.toContain('topsecret');
    expect(messages).not.toContain('collector:4318');
  });
});

describe('HTTP_BODY_LIMIT_BYTES', () => {
  it('defaults to 16 MiB and refuses what is not a byte count in range', () => {
    expect(loadSettings({}).settings.http.bodyLimitBytes).toBe(16 * 1024 * 1024);
    expect(loadSettings({ HTTP_BODY_LIMIT_BYTES: '52428800' }).settings.http.bodyLimitBytes).toBe(52_428_800);
    expect(codes({ HTTP_BODY_LIMIT_BYTES: '10MB' })).toEqual(['CONFIG_INTEGER_INVALID']);
    expect(codes({ HTTP_BODY_LIMIT_BYTES: '0' })).toEqual(['CONFIG_INTEGER_INVALID']);
  });
});
