/** Column values as records want them, whatever the engine returned (numbers as strings, undefined for absent JSON). */
export const text = (value: unknown): string => String(value);
export const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
export const intOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const jsonOrNull = (value: unknown): unknown => (value === undefined ? null : value);
