/**
 * Display formats. Amounts and weights arrive as decimal strings and are shown as they are; only
 * percentages are computed for display, never for anything that is stored or sent back.
 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
}

/** A decimal weight ("0.2500") as a percentage ("25.00 %"). */
export function formatWeight(weight: string | number | null | undefined): string {
  if (weight === null || weight === undefined || weight === '') return '—';
  const value = Number(weight);
  return Number.isFinite(value) ? `${(value * 100).toFixed(2)} %` : String(weight);
}

export function formatMoney(money: { amount: string; currency: string } | null | undefined): string {
  return money ? `${money.amount} ${money.currency}` : '—';
}

/** A day label (YYYY-MM-DD, UTC) for grouping by day. */
export function utcDay(iso: string): string {
  return iso.slice(0, 10);
}

export function shortHash(hash: string | null | undefined, keep = 18): string {
  if (!hash) return '—';
  return hash.length > keep + 1 ? `${hash.slice(0, keep)}…` : hash;
}
