/**
 * JSON objects whose keys are open (a stored document, a caller's reason or details): what the
 * stores keep as opaque JSON and the wire schemas declare as objects with additional properties.
 */
export type JsonObject = Record<string, unknown>;

/** The value when it is a JSON object; `{}` for anything else (null, an array, a scalar). */
export function asJsonObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}
