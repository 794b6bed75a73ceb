/**
 * The JSON text an engine output arrived as from a worker thread (engine-worker.ts sends outputs
 * as text), kept beside the parsed value: a service that sends or stores the output as text — a
 * DPM run's result — takes it as it is instead of serialising ~10 MB again on the serving thread
 * (a 10,000-instrument result: ~27 ms). The text is what `JSON.stringify` of the value gives, since
 * the worker made it that way from an equal value.
 */
const TEXTS = new WeakMap<object, string>();

/** Parses a worker's output text and remembers it for the value. */
export function parseKeepingText(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (value !== null && typeof value === 'object') TEXTS.set(value, text);
  return value;
}

/** `JSON.stringify(value)`: the text it arrived as when it came from a worker, else serialised now. */
export function jsonText(value: unknown): string {
  return (value !== null && typeof value === 'object' ? TEXTS.get(value) : undefined) ?? JSON.stringify(value);
}
