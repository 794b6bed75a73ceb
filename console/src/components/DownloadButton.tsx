/** Fetches a JSON document from the API and saves it as a file, showing a refusal with its code. */
import { useState } from 'preact/hooks';
import { downloadJson } from '../lib/download.ts';
import { ErrorNotice } from './states.tsx';

export function DownloadButton({ label, fileName, load, testId }: { label: string; fileName: string; load: () => Promise<unknown>; testId?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const click = async () => {
    setBusy(true);
    setError(null);
    try {
      downloadJson(fileName, await load());
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="download">
      <button type="button" onClick={click} disabled={busy} data-testid={testId}>
        {busy ? 'Preparing…' : label}
      </button>
      {error && <ErrorNotice error={error} title={`${label} failed`} />}
    </span>
  );
}
