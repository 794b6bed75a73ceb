/**
 * An action a user starts with a click (a decision, a move, a create): whether it is running and
 * how it failed, so every form shows the same busy state and the same error notice.
 */
import { useState } from 'preact/hooks';
import { asApiError } from './use-resource.ts';

export interface Action {
  readonly busy: boolean;
  readonly error: Error | null;
  /** Runs `work` unless one is already running; a failure is kept in `error`. */
  run(work: () => Promise<void>): Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  return {
    busy,
    error,
    async run(work) {
      if (busy) return;
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (e) {
        setError(asApiError(e));
      } finally {
        setBusy(false);
      }
    },
  };
}
