/**
 * Where the repository is, derived from this file's location, so tests work from any clone and
 * any working directory.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing separator. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A path inside the repository: `repoPath('docs', 'errors.md')`. */
export function repoPath(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}
