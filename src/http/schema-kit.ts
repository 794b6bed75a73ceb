/**
 * The input boundary as schema builders (docs/errors.md#field-limits). Every string a route reads
 * from a path, a query, a header or a JSON body is one of these, so its limit is validated by ajv
 * and published in the OpenAPI document; `test/http/input-boundary.test.ts` fails on a route
 * parameter without one.
 *
 * - **Identifier** (ids, keys, hashes, portfolio and advisor ids, actor ids, filters on them):
 *   at most 256 characters — they are stored in indexed columns, and a PostgreSQL btree entry
 *   breaks at ~2.7 KB.
 * - **Text** (comments, titles, notes, labels): at most 4,096 characters.
 * - **Cursor**: at most 1,024 characters (what the service issues is far shorter).
 * - **Instant**: a strict RFC 3339 date-time with an offset, within 0001–9999 (instants.ts).
 *
 * What no string may hold anywhere — NUL, an unpaired surrogate — is checked for every part
 * without a builder (unsafe-text.ts).
 */
import { Type, type StringOptions, type TString } from '@sinclair/typebox';
import { IDENTIFIER_MAX_LENGTH, Nullable } from '../domain/portfolio/schema-kit.ts';
import { INSTANT_WINDOW } from './instants.ts';

/** Schema builders the domain's request models use too; routes take them from here. */
export { IDENTIFIER_MAX_LENGTH, Nullable };
export const TEXT_MAX_LENGTH = 4096;
export const CURSOR_MAX_LENGTH = 1024;

/** An id, key, hash or other identifier; `minLength: 1` where blank means nothing. */
export const Identifier = (options: StringOptions = {}): TString => Type.String({ maxLength: IDENTIFIER_MAX_LENGTH, ...options });

/** Free text a person wrote. */
export const Text = (options: StringOptions = {}): TString => Type.String({ maxLength: TEXT_MAX_LENGTH, ...options });

/** `next_cursor` of a previous page, passed back. */
export const Cursor = (description: string): TString => Type.String({ maxLength: CURSOR_MAX_LENGTH, description });

/**
 * `X-Correlation-Id` is never refused: a value that is not 1–128 printable ASCII characters is
 * replaced by a generated id (correlation.ts), as a malformed `traceparent` starts a new trace.
 */
export const CorrelationIdHeader = (description: string) =>
  Type.Optional(Type.String({ description: `${description} 1–128 printable ASCII characters; any other value is replaced by a generated corr_<24 hex> id (the response header says which).` }));

/** A point in time with its offset, compared as an instant (instantOf turns it into the stores' form). */
export const Instant = (description: string): TString =>
  Type.String({
    format: 'instant',
    description: `${description} ISO-8601 date-time with an offset (Z or ±hh:mm), ${INSTANT_WINDOW.from.slice(0, 4)}–${INSTANT_WINDOW.to.slice(0, 4)}; compared as an instant, inclusive.`,
    examples: ['2026-02-21T00:00:00+08:00'],
  });
