/** The states every page shows the same way: loading, empty, failed. */
import type { ComponentChildren } from 'preact';
import { refusalHint, type ApiError, type FieldProblem } from '../api/errors.ts';
import { asApiError } from '../lib/use-resource.ts';

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** An API refusal or failure: its code first (what support searches for), then the message and the correlation id. */
export function ErrorNotice({ error, title = 'The service refused the request' }: { error: ApiError | Error; title?: string }) {
  const e = asApiError(error);
  const hint = refusalHint(e);
  return (
    <div class="error-notice" role="alert">
      <p class="error-title">
        <strong>{title}</strong>
        {e.status > 0 ? ` (HTTP ${e.status})` : ''}
      </p>
      {hint && <p data-testid="error-hint">{hint}</p>}
      <dl class="kv">
        <dt>Code</dt>
        <dd>
          <code data-testid="error-code">{e.code}</code>
        </dd>
        <dt>Message</dt>
        <dd>{e.message}</dd>
        {e.correlationId && (
          <>
            <dt>Correlation id</dt>
            <dd>
              <code data-testid="error-correlation-id">{e.correlationId}</code>
            </dd>
          </>
        )}
      </dl>
      <FieldProblems problems={e.fields} />
    </div>
  );
}

/** Field-level problems (a validation failure's, or a recorded request's that today's validation refuses); nothing when there are none. */
export function FieldProblems({ problems, testId }: { problems: readonly FieldProblem[]; testId?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul class="field-errors" data-testid={testId}>
      {problems.map((f) => (
        <li key={`${f.field}:${f.code}`}>
          <code>{f.field}</code>: {f.message} <span class="muted">({f.code})</span>
        </li>
      ))}
    </ul>
  );
}

/** A feature the service has switched off: said plainly, with the code, not as a failure. */
export function isSwitchedOff(error: unknown): boolean {
  const e = asApiError(error);
  return e.status === 404 && e.code.endsWith('_DISABLED');
}

export function SwitchedOff({ error, what }: { error: unknown; what: string }) {
  const e = asApiError(error);
  return (
    <p class="switched-off">
      {what} is switched off on this service (<code>{e.code}</code>). {e.message}
    </p>
  );
}
