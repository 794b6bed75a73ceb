/**
 * No secret in a log line (docs/operations.md#log-lines): a client that puts a credential in the
 * query string or a credential header — on a route that answers, one that refuses it (401), an
 * unknown path, a path the router cannot decode, a request Node's parser refuses — leaves none of
 * it in the log, at the most verbose level. The real service on a real socket, its own logger
 * writing into memory.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { createLogger } from '../../src/app/logger.ts';
import { assessStartup } from '../../src/config/startup-assessment.ts';
import { rawRequest } from '../support/raw-http.ts';

const ADMIN_TOKEN = 'admin-token-never-logged';

/** Each credential a client may send, with a value that must not appear in any line. */
const QUERY_SECRETS = {
  token: 'q-token-7f3a',
  access_token: 'q-access-token-9c1d',
  api_key: 'q-api-key-2b8e',
  apikey: 'q-apikey-5e0f',
  password: 'q-password-4a6c',
  secret: 'q-secret-8d2b',
  client_secret: 'q-client-secret-1f9a',
  refresh_token: 'q-refresh-3c7e',
  'X-Amz-Signature': 'q-signature-6b4d',
  sessionid: 'q-session-0e5a',
} as const;

const HEADER_SECRETS = {
  authorization: 'Bearer h-bearer-5d1c',
  'proxy-authorization': 'Basic h-proxy-8a3f',
  cookie: 'session=h-cookie-2e7b',
  'x-api-key': 'h-api-key-9f0c',
  'x-auth-token': 'h-auth-token-4c2d',
} as const;

const SECRETS = [...Object.values(QUERY_SECRETS), ...Object.values(HEADER_SECRETS).map((v) => v.split(/[ =]/).at(-1) ?? v), ADMIN_TOKEN];

const query = (extra = ''): string => `?${Object.entries(QUERY_SECRETS).map(([k, v]) => `${k}=${v}`).join('&')}${extra}`;

describe('credentials in URLs and headers never reach a log line', () => {
  let app: App;
  let baseUrl: string;
  const text: string[] = [];
  const lines = (): Record<string, unknown>[] => text.map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    const env = {
      DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
      DPM_POLICY_PACK_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'TRACE',
    };
    const assessment = assessStartup(env);
    const created = await createApp(assessment, createLogger('trace', { write: (line: string) => void text.push(line) }));
    if (!created.ok) throw new Error(created.violations.map((v) => v.code).join(', '));
    app = created.app;
    await app.server.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers, refuses and logs each request, with every credential censored', async () => {
    const sent = [
      { method: 'GET', path: `/health/live${query('&limit=5')}`, status: 200 },
      { method: 'PUT', path: `/rebalance/policies/catalog/pack_x${query()}`, status: 401 },
      { method: 'GET', path: `/no/such/path${query()}`, status: 404 },
      { method: 'GET', path: `/rebalance/runs${query('&from=2026-02-30T00:00:00Z')}`, status: 422 },
    ];
    for (const request of sent) {
      const response = await fetch(`${baseUrl}${request.path}`, {
        method: request.method,
        headers: { ...HEADER_SECRETS, 'content-type': 'application/json', 'x-correlation-id': `redaction-${request.status}` },
        ...(request.method === 'PUT' ? { body: JSON.stringify({ version: '1' }) } : {}),
      });
      expect(response.status, request.path).toBe(request.status);
      await response.arrayBuffer();
    }
    // The router cannot decode this path; Node's parser refuses the next request outright (a
    // control character in a header) — its error object holds the raw bytes, credentials included.
    const undecodable = await rawRequest(baseUrl, `GET /rebalance/runs/%FF${query()} HTTP/1.1\r\nHost: x\r\nAuthorization: ${HEADER_SECRETS.authorization}\r\nConnection: close\r\n\r\n`);
    expect(undecodable.status).toBe(400);
    const refused = await rawRequest(baseUrl, `GET /health/live${query()} HTTP/1.1\r\nHost: x\r\nAuthorization: ${HEADER_SECRETS.authorization}\r\nCookie: ${HEADER_SECRETS.cookie}\r\nX-Bad: a\x01b\r\n\r\n`);
    expect(refused.status).toBe(400);

    // Completion lines are written once each response has gone out: wait for all five.
    await vi.waitFor(() => expect(lines().filter((line) => line['msg'] === 'request completed')).toHaveLength(5), { timeout: 10_000 });
    expect(lines().some((line) => line['msg'] === 'request refused by the HTTP parser')).toBe(true);

    const log = text.join('');
    for (const secret of SECRETS) expect(log, `the log contains ${secret}`).not.toContain(secret);
    // The lines are there, with the parameters' names and the values censored.
    const urls = lines().filter((line) => line['msg'] === 'request completed').map((line) => String(line['url']));
    expect(urls).toHaveLength(5);
    for (const url of urls) {
      for (const name of Object.keys(QUERY_SECRETS)) expect(url).toContain(`${name}=***`);
    }
    expect(urls[0]).toContain('limit=5');
  });
});
