/**
 * Slow and idle clients cannot hold the server (docs/operations.md#http-server-limits), and what
 * Node's HTTP parser refuses answers in the service's error format (docs/errors.md). The real
 * process with short limits, real sockets; every wait ends with a connection closing or a line
 * being logged, and the bounds are generous (they only catch a hang).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openExchange, parseResponse, rawRequest, trickle } from '../support/raw-http.ts';
import { startService, type RunningService } from '../support/service-process.ts';

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_000;
/** A limit fired late by this much still passes: a loaded two-core machine, a one-second check. */
const BOUND_MS = 30_000;

const LIMITS = {
  HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
};

type Json = Record<string, unknown>;

function logLines(service: RunningService): Json[] {
  return service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Json);
}

/** The service's error body with its code, and the connection closed. */
function expectRefusal(text: string, status: number, code: string): { correlationId: string } {
  const response = parseResponse(text);
  expect(response, `the server wrote ${JSON.stringify(text.slice(0, 200))}`).not.toBeNull();
  expect(response?.status).toBe(status);
  expect(response?.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response?.headers['connection']).toBe('close');
  expect(JSON.parse(response?.body ?? '{}')).toEqual({ detail: code, code, message: expect.any(String) });
  return { correlationId: response?.headers['x-correlation-id'] ?? '' };
}

describe('slow clients and refusals of the HTTP parser', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService({ ...LIMITS, HTTP_MAX_REQUESTS_PER_SOCKET: '2' });
  });

  afterAll(async () => {
    await service.stop('SIGKILL');
  });

  it('slow headers: 408 REQUEST_TIMEOUT after HTTP_HEADERS_TIMEOUT_MS, connection closed', async () => {
    const exchange = openExchange(service.baseUrl, 'GET /health/live HTTP/1.1\r\nHost: test\r\n', BOUND_MS);
    trickle(exchange, `X-Slow: ${'a'.repeat(1_000)}`, 100);
    const { text, afterMs } = await exchange.closed;
    const { correlationId } = expectRefusal(text, 408, 'REQUEST_TIMEOUT');
    expect(correlationId).toMatch(/^corr_[0-9a-f]{24}$/);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    await vi.waitFor(() => expect(logLines(service)).toContainEqual(expect.objectContaining({ msg: 'request refused by the HTTP parser', correlation_id: correlationId, error_code: 'REQUEST_TIMEOUT' })));
  });

  it('a slow body: 408 under the request\'s own correlation id after HTTP_REQUEST_TIMEOUT_MS', async () => {
    const head = 'POST /rebalance/simulate HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nIdempotency-Key: slow-body\r\nX-Correlation-Id: slow-body-e2e\r\nContent-Length: 5000\r\n\r\n';
    const exchange = openExchange(service.baseUrl, head, BOUND_MS);
    trickle(exchange, `{"portfolio_snapshot": "${'x'.repeat(4_000)}"}`, 100);
    const { text, afterMs } = await exchange.closed;
    expect(expectRefusal(text, 408, 'REQUEST_TIMEOUT').correlationId).toBe('slow-body-e2e');
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    await vi.waitFor(() => expect(logLines(service)).toContainEqual(expect.objectContaining({ msg: 'request refused by the HTTP parser', correlation_id: 'slow-body-e2e', status: 408 })));
  });

  it('forty slow-body connections are all cut, and the service keeps answering meanwhile', async () => {
    const head = 'POST /rebalance/simulate HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nIdempotency-Key: many\r\nContent-Length: 100000\r\n\r\n{';
    const exchanges = Array.from({ length: 40 }, () => openExchange(service.baseUrl, head, BOUND_MS));
    for (const exchange of exchanges) trickle(exchange, ' '.repeat(10_000), 200);
    const live = await fetch(`${service.baseUrl}/health/live`);
    expect(live.status).toBe(200);
    const closed = await Promise.all(exchanges.map((exchange) => exchange.closed));
    for (const { text } of closed) expectRefusal(text, 408, 'REQUEST_TIMEOUT');
  });

  it('a keep-alive connection left idle is closed after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const exchange = openExchange(service.baseUrl, 'GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n', BOUND_MS);
    const { text, afterMs } = await exchange.closed;
    expect(parseResponse(text)?.status).toBe(200);
    expect(afterMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 100);
  });

  it('a connection is closed after HTTP_MAX_REQUESTS_PER_SOCKET requests', async () => {
    const request = 'GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n';
    const exchange = openExchange(service.baseUrl, request + request, BOUND_MS);
    const { text } = await exchange.closed;
    const second = text.slice(text.indexOf('HTTP/1.1', 1));
    expect(parseResponse(text)?.status).toBe(200);
    expect(parseResponse(second)).toMatchObject({ status: 200, headers: expect.objectContaining({ connection: 'close' }) });
  });

  it('a control character in X-Correlation-Id: 400 BAD_REQUEST in our format, with a generated correlation id', async () => {
    const response = await rawRequest(service.baseUrl, 'GET /health/live HTTP/1.1\r\nHost: test\r\nX-Correlation-Id: corr\x01evil\r\n\r\n');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ detail: 'BAD_REQUEST', code: 'BAD_REQUEST' });
    expect(response.headers['x-correlation-id']).toMatch(/^corr_[0-9a-f]{24}$/);
  });

  it('a 20 KB header: 431 REQUEST_HEADER_FIELDS_TOO_LARGE in our format', async () => {
    const response = await rawRequest(service.baseUrl, `GET /health/live HTTP/1.1\r\nHost: test\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(response.status).toBe(431);
    expect(JSON.parse(response.body)).toMatchObject({ detail: 'REQUEST_HEADER_FIELDS_TOO_LARGE', code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' });
    expect(response.headers['x-correlation-id']).toMatch(/^corr_[0-9a-f]{24}$/);
  });

  it('a path that is not UTF-8: 400 BAD_REQUEST in our format', async () => {
    const response = await rawRequest(service.baseUrl, 'GET /rebalance/runs/%FF%FE HTTP/1.1\r\nHost: test\r\nX-Correlation-Id: bad-path-1\r\nConnection: close\r\n\r\n');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ detail: 'BAD_REQUEST', code: 'BAD_REQUEST' });
    expect(response.headers['x-correlation-id']).toBe('bad-path-1');
  });
});

describe('idle connections beyond HTTP_MAX_CONNECTIONS', () => {
  const MAX = 30;
  let service: RunningService;

  beforeAll(async () => {
    service = await startService({ ...LIMITS, HTTP_MAX_CONNECTIONS: String(MAX) });
  });

  afterAll(async () => {
    await service.stop('SIGKILL');
  });

  it('are closed as they arrive; the idle ones are cut by the header timeout, and the service answers again', async () => {
    const idle = Array.from({ length: MAX }, () => openExchange(service.baseUrl, '', BOUND_MS));
    await Promise.all(idle.map((exchange) => new Promise((resolve) => exchange.socket.once('connect', resolve))));
    // Accepted in arrival order: with MAX connections open, the next ones are closed without a byte.
    const beyond = await Promise.all(Array.from({ length: 5 }, () => openExchange(service.baseUrl, 'GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n', BOUND_MS).closed));
    for (const { text } of beyond) expect(text).toBe('');
    await vi.waitFor(() => expect(logLines(service).filter((line) => line['msg'] === 'Connection limit reached; new connections are closed as they arrive')).toHaveLength(1));

    // The idle ones never sent a header: each gets its 408 and is closed.
    for (const { text } of await Promise.all(idle.map((exchange) => exchange.closed))) expectRefusal(text, 408, 'REQUEST_TIMEOUT');
    const live = await fetch(`${service.baseUrl}/health/live`);
    expect(live.status).toBe(200);
  });
});
