/**
 * `from`/`to` query bounds. The schema already requires an offset; this turns the text into an
 * instant, so `2026-02-21T08:00:00+08:00` and `2026-02-21T00:00:00Z` select the same rows on every
 * backend (the reference compared the text; docs/dpm-api.md#differences-from-the-reference), and a
 * date that does not exist (`2026-02-30`, month 13) is a 422 naming the field instead of a 500.
 */
import { RequestValidationError } from './validation-errors.ts';

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T.*?(Z|([+-])(\d{2}):(\d{2}))$/;

/** The calendar date as written, checked against the instant (JavaScript rolls Feb 30 over to March). */
function exists(value: string, time: number): boolean {
  const match = SHAPE.exec(value);
  if (!match || Number.isNaN(time)) return false;
  const [, year, month, day, zone, sign, hours, minutes] = match;
  const offsetMs = zone === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  const local = new Date(time + offsetMs);
  return local.getUTCFullYear() === Number(year) && local.getUTCMonth() + 1 === Number(month) && local.getUTCDate() === Number(day);
}

export function instantOf(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!exists(value, time)) {
    throw new RequestValidationError([
      { type: 'datetime_from_date_parsing', loc: ['query', field], msg: 'Input should be a valid datetime or date, with a UTC offset', input: value, ctx: { error: 'no such date' } },
    ]);
  }
  return new Date(time).toISOString();
}
