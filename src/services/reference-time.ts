/**
 * Timestamps in the reference's wire shape, Python's `datetime.now(timezone.utc).isoformat()`:
 * microseconds and `+00:00` (e.g. `2026-02-19T12:00:00.123000+00:00`). Clients of the reference
 * parse this form, so the fields that carry it (artifact `created_at`, batch `run_at_utc`) keep it.
 */
export function referenceTimestamp(at: Date): string {
  return at.toISOString().replace('Z', '000+00:00');
}
