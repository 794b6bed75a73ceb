/** Fetches a JSON document from the API and saves it as a file, showing a refusal with its code. */
import { downloadJson } from '../lib/download.ts';
import { useAction } from '../lib/use-action.ts';
import { ErrorNotice } from './states.tsx';

export function DownloadButton({ label, fileName, load, testId }: { label: string; fileName: string; load: () => Promise<unknown>; testId?: string }) {
  const action = useAction();
  const click = () => action.run(async () => downloadJson(fileName, await load()));
  return (
    <span class="download">
      <button type="button" onClick={click} disabled={action.busy} data-testid={testId}>
        {action.busy ? 'Preparing…' : label}
      </button>
      {action.error && <ErrorNotice error={action.error} title={`${label} failed`} />}
    </span>
  );
}
