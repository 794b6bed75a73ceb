import { formatTime } from '../lib/format.ts';

/** An instant, in UTC, kept on one line. */
export function Time({ iso }: { iso: string | null | undefined }) {
  return iso ? <time dateTime={iso} class="nowrap">{formatTime(iso)}</time> : <>—</>;
}
