/**
 * The engine version a service records when it was built without one. The app always passes the
 * real one (version + git commit, src/app/build-info.ts); only services composed directly in
 * tests fall back to this, which is also what an artifact says of a run that predates it.
 */
export const UNKNOWN_ENGINE_VERSION = 'unknown';
