/** Column values as records want them, whatever the engine returned (numbers as strings, undefined for absent JSON). */
export const text = (value: unknown): string => String(value);
export const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
export const intOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const jsonOrNull = (value: unknown): unknown => (value === undefined ? null : value);
/** A text column constrained to a closed set (states, event types): anything else is a corrupt row, refused loudly. */
export function oneOf<T extends string>(values: readonly T[], value: unknown, column: string): T {
  const candidate = String(value);
  if (!(values as readonly string[]).includes(candidate)) throw new Error(`${column} holds ${JSON.stringify(candidate)}, which is none of ${values.join(', ')}.`);
  return candidate as T;
}
