/**
 * Request bodies: JSON only, answered as FastAPI answers them (docs/errors.md).
 *
 * - `application/json` and any `application/*+json` are parsed with Fastify's own parser (which
 *   also refuses `__proto__` / `constructor.prototype` keys);
 * - malformed JSON is a 422 `json_invalid` at `["body", <character position>]`, an empty body a
 *   422 `missing` at `["body"]`, exactly FastAPI's items;
 * - any other content type (`text/plain` included, which Fastify would otherwise hand to the
 *   route as a string) is 415 UNSUPPORTED_MEDIA_TYPE;
 * - a string or key holding NUL or an unpaired surrogate, or longer than TEXT_MAX_LENGTH,
 *   anywhere in the body, is a 422 naming it (unsafe-text.ts) — on every route, before any
 *   validator or store sees the body.
 */
import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { TEXT_MAX_LENGTH } from './schema-kit.ts';
import { bodyTextCheck, textErrors } from './unsafe-text.ts';
import { itemsFromAjv, RequestValidationError } from './validation-errors.ts';

const JSON_TYPES = ['application/json', /^application\/[\w.!#$&^-]+\+json$/] as const;

/** Where a text stops being JSON: V8's position, or the longest prefix that could still become JSON. */
function errorPosition(text: string, message: string): number {
  const stated = /at position (\d+)/.exec(message);
  if (stated) return Number(stated[1]);
  let valid = 0;
  let invalid = text.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    try {
      JSON.parse(text.slice(0, middle));
      valid = middle;
    } catch (error) {
      // The prefix is still viable when the parser only ran out of text.
      const reason = (error as Error).message;
      const at = /at position (\d+)/.exec(reason);
      if (/Unexpected end of JSON input/.test(reason) || (at !== null && Number(at[1]) >= middle)) valid = middle;
      else invalid = middle;
    }
  }
  return /Unexpected end of JSON input/.test(message) ? text.length : valid;
}

/** V8's reason without the position or the echo of the input. */
function reasonOf(message: string): string {
  return message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
}

function malformed(text: string): RequestValidationError {
  let message = 'Unexpected end of JSON input';
  try {
    JSON.parse(text);
    // Valid JSON that Fastify's parser refused: a prototype-poisoning key.
    return new RequestValidationError([
      { type: 'value_error', loc: ['body'], msg: 'Value error, Object contains forbidden prototype property', input: {} },
    ]);
  } catch (error) {
    message = (error as Error).message;
  }
  return new RequestValidationError([
    { type: 'json_invalid', loc: ['body', errorPosition(text, message)], msg: 'JSON decode error', input: {}, ctx: { error: reasonOf(message) } },
  ]);
}

export function registerJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  const parser: FastifyBodyParser<string> = (request, text, done) => {
    if (text.trim() === '') {
      // A route that takes no body (e.g. execute) ignores an empty one, as FastAPI does.
      if (request.routeOptions.schema?.body === undefined) {
        done(null, undefined);
        return;
      }
      done(new RequestValidationError([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]), undefined);
      return;
    }
    parse(request, text, (error, value) => {
      if (error) return done(malformed(text), undefined);
      const check = bodyTextCheck(text, TEXT_MAX_LENGTH);
      const unsafe = check ? textErrors(value, check) : [];
      if (unsafe.length > 0) return done(new RequestValidationError(itemsFromAjv(unsafe, 'body')), undefined);
      return done(null, value);
    });
  };
  for (const type of JSON_TYPES) app.addContentTypeParser(type, { parseAs: 'string' }, parser);
}
