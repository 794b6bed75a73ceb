/**
 * Loads something for a page and tracks its state, so every page shows the same loading, error
 * and loaded states. A newer load replaces an older one still in flight (its answer is dropped).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors.ts';

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
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const generation = useRef(0);
  // `deps` lists what `load` reads, as in useEffect.
  const run = useCallback(load, deps);
  const start = useCallback(() => {
    const mine = ++generation.current;
    setResource((current) => (current.state === 'ok' ? current : { state: 'loading' }));
    run().then(
      (data) => mine === generation.current && setResource({ state: 'ok', data }),
      (error: unknown) => mine === generation.current && setResource({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }, [run]);
  useEffect(() => {
    setResource({ state: 'loading' });
    start();
    return () => {
      generation.current += 1;
    };
  }, [start]);
  return { resource, reload: start };
}

/** A failure to show: ApiErrors as they are, anything else as a console-side error. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'CONSOLE_ERROR', error instanceof Error ? error.message : String(error), null);
}
