/**
 * Reading a request header the one way every route does: its first value (a repeated header keeps
 * the first), trimmed, and absent when blank — so `X-Policy-Pack-Id: ` means "none", as an absent
 * header does.
 */
import type { FastifyRequest } from 'fastify';

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  const value = first?.trim();
  return value === undefined || value === '' ? undefined : value;
}
