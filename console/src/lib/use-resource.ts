/**
 * Loads something for a page and tracks its state, so every page shows the same loading, error
 * and loaded states. A newer load replaces an older one still in flight (its answer is dropped).
 * What a page shows depends on who asks, so a new session (signed in, token pasted, session
 * ended by a 401) loads it again.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors.ts';
import { bearerToken } from '../api/session.ts';
import { useSignal } from '../api/signal.ts';

export type Resource<T> =
  | { readonly state: 'loading'; readonly data?: undefined; readonly error?: undefined }
  | { readonly state: 'ok'; readonly data: T; readonly error?: undefined }
  | { readonly state: 'error'; readonly data?: undefined; readonly error: ApiError | Error };

export interface LoadedResource<T> {
  readonly resource: Resource<T>;
  /** Loads again (after an action changed what the page shows). */
  reload(): void;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): LoadedResource<T> {
  // What was loaded, and for which inputs: data loaded for other inputs (the previous page, say)
  // is never shown as the answer to the current ones.
  const token = useSignal(bearerToken);
  const inputs = useMemo(() => ({}), [...deps, token]);
  const [loaded, setLoaded] = useState<{ inputs: object; resource: Resource<T> } | null>(null);
  const generation = useRef(0);
  // `deps` lists what `load` reads, as in useEffect; the token is read by every call.
  const run = useCallback(load, [...deps, token]);
  const start = useCallback(() => {
    const mine = ++generation.current;
    // A reload keeps what is shown until the new answer arrives.
    run().then(
      (data) => mine === generation.current && setLoaded({ inputs, resource: { state: 'ok', data } }),
      (error: unknown) => mine === generation.current && setLoaded({ inputs, resource: { state: 'error', error: error instanceof Error ? error : new Error(String(error)) } }),
    );
  }, [run, inputs]);
  useEffect(() => {
    start();
    return () => {
      generation.current += 1;
    };
  }, [start]);
  const resource: Resource<T> = loaded !== null && loaded.inputs === inputs ? loaded.resource : { state: 'loading' };
  return { resource, reload: start };
}

/** A failure to show: ApiErrors as they are, anything else as a console-side error. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'CONSOLE_ERROR', error instanceof Error ? error.message : String(error), null);
}
