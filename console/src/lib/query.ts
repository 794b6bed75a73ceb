/** Filters live in the URL's query string, so every filtered view is a link that can be shared. */
export type QueryValues = Readonly<Record<string, string | undefined>>;

/** The query string of `values` without empty entries ("" when none). */
export function toQueryString(values: QueryValues): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value.trim() !== '') params.set(key, value.trim());
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Only the non-empty values, ready to pass as API query parameters. */
export function present(values: QueryValues): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''));
}

/** The named values of a query, without empty ones (for a list's API parameters). */
export function pick(query: QueryValues, names: readonly string[]): Record<string, string> {
  return present(Object.fromEntries(names.map((name) => [name, query[name]])));
}
