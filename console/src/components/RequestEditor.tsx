/**
 * A JSON request to send: pick one of the examples the API documents, paste one, or load a file.
 * The text stays editable; it is parsed only when sent.
 */
import { useState } from 'preact/hooks';
import type { RequestExample } from '../api/capabilities.ts';

/** The editor's text as JSON; throws a readable error (shown like an API refusal) when it is not. */
export function requestJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`The request is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A fresh Idempotency-Key for one request the console sends (shown to the user). */
export function newIdempotencyKey(): string {
  return `console-${crypto.randomUUID()}`;
}

export function RequestEditor({ id, label, examples, text, onText }: { id: string; label: string; examples: readonly RequestExample[]; text: string; onText: (text: string) => void }) {
  const [fileError, setFileError] = useState<string | null>(null);
  const load = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    setFileError(null);
    try {
      const content = await file.text();
      const parsed = JSON.parse(content) as Record<string, unknown>;
      // A conformance file holds its body under `request`.
      onText(JSON.stringify(parsed['request'] !== undefined && typeof parsed['request'] === 'object' ? parsed['request'] : parsed, null, 2));
    } catch (error) {
      setFileError(`${file.name} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <div class="request-editor">
      <div class="field-row">
        {examples.length > 0 && (
          <div class="field">
            <label for={`${id}-example`}>Start from an example</label>
            <select
              id={`${id}-example`}
              onChange={(e) => {
                const chosen = examples[Number((e.currentTarget as HTMLSelectElement).value)];
                if (chosen) onText(JSON.stringify(chosen.body, null, 2));
              }}
            >
              <option value="">choose…</option>
              {examples.map((ex, i) => (
                <option key={ex.label} value={String(i)}>
                  {ex.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for={`${id}-file`}>Or load a JSON file</label>
          <input id={`${id}-file`} type="file" accept="application/json,.json" onChange={load} />
        </div>
      </div>
      {fileError && (
        <p class="error-notice" role="alert">
          {fileError}
        </p>
      )}
      <div class="field">
        <label for={`${id}-text`}>{label}</label>
        <textarea id={`${id}-text`} rows={14} value={text} spellcheck={false} onInput={(e) => onText((e.currentTarget as HTMLTextAreaElement).value)} />
      </div>
    </div>
  );
}
