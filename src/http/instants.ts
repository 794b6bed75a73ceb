/**
 * Timestamps the API reads (docs/errors.md#field-limits): an RFC 3339 date-time with an offset,
 * parsed strictly — a real calendar date, hours, minutes and seconds in range, an offset of at
 * most ±23:59 — and within a window every backend stores alike. `Date.parse` alone is not enough:
 * it rolls `2026-02-30` over to March, reads `24:00` as the next day, and takes year 0000, which
 * PostgreSQL refuses.
 *
 * A value is turned into the service's canonical form (`toISOString`, UTC, milliseconds) before it
 * reaches a store, so `2026-02-21T08:00:00+08:00` and `2026-02-21T00:00:00Z` select the same rows
 * on every backend.
 */

/** The instants the API accepts, inclusive, in UTC (after the offset is applied). */
export const INSTANT_WINDOW = { from: '0001-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' } as const;

/** `T` and `Z` in either case (RFC 3339); seconds optional; up to 9 fractional digits (read to the millisecond). */
const SHAPE =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})T(?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))?)?(?:Z|(?<sign>[+-])(?<offsetHours>\d{2}):(?<offsetMinutes>\d{2}))$/i;

const WINDOW_FROM = Date.parse(INSTANT_WINDOW.from);
const WINDOW_TO = Date.parse(INSTANT_WINDOW.to);

export type InstantParse = { readonly ok: true; readonly epochMs: number } | { readonly ok: false; readonly reason: string };

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function parseInstant(text: string): InstantParse {
  const match = SHAPE.exec(text);
  if (!match) return { ok: false, reason: 'not an ISO-8601 date-time with an offset (YYYY-MM-DDThh:mm[:ss[.fff]] and Z or ±hh:mm)' };
  const group = (name: string): string | undefined => match.groups?.[name];
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = ['year', 'month', 'day', 'hour', 'minute', 'second', 'offsetHours', 'offsetMinutes'].map(
    (name) => Number(group(name) ?? 0),
  ) as [number, number, number, number, number, number, number, number];
  const fraction = group('fraction') ?? '';
  const sign = group('sign') === '-' ? -1 : 1;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: 'no such date' };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'no such time of day' };
  if (offsetHours > 23 || offsetMinutes > 59) return { ok: false, reason: 'offset out of range (at most ±23:59)' };
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes the year as written.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const epochMs = local.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  if (epochMs < WINDOW_FROM || epochMs > WINDOW_TO) return { ok: false, reason: `outside ${INSTANT_WINDOW.from} .. ${INSTANT_WINDOW.to}` };
  return { ok: true, epochMs };
}

/** The ajv format behind the schema kit's `Instant` (src/http/validation.ts). */
export const isInstant = (text: string): boolean => parseInstant(text).ok;

/**
 * A validated instant in the stores' canonical form (`2026-02-21T00:00:00.000Z`). The route schema
 * has already refused anything `parseInstant` refuses, so a failure here is a schema missing its
 * `Instant` — a bug, thrown as such.
 */
export function instantOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseInstant(value);
  if (!parsed.ok) throw new Error(`instantOf: ${JSON.stringify(value)} was not validated as an instant (${parsed.reason})`);
  return new Date(parsed.epochMs).toISOString();
}
