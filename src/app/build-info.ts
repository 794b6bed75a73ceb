/**
 * What build is running: the package version and, when known, the git commit it was built from.
 * Shown by `--version`; the same text identifies the engine in logs and records.
 *
 * The commit comes from `build-info.json`, which `npm run build` writes next to the compiled
 * program (a container image has no `.git`), or else from the git checkout the sources run from.
 * Neither is required: a tarball of the sources reports the version alone.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  readonly name: string;
  readonly version: string;
  /** Full 40-hex commit, or null when neither a build record nor a git checkout says. */
  readonly commit: string | null;
}

/** Same depth under `src/` and `dist/`, so one relative path serves both. */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);
const BUILD_RECORD = new URL('../build-info.json', import.meta.url);
const COMMIT = /^[0-9a-f]{40}$/;

function readJson(url: URL): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function commitFromGit(): string | null {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: fileURLToPath(new URL('.', PACKAGE_JSON)),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }).trim();
    return COMMIT.test(commit) ? commit : null;
  } catch {
    return null;
  }
}

let cached: BuildInfo | undefined;

export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const pkg = readJson(PACKAGE_JSON) ?? {};
  const recorded = readJson(BUILD_RECORD)?.['commit'];
  cached = {
    name: String(pkg['name'] ?? 'dpm-rebalance-service'),
    version: String(pkg['version'] ?? '0.0.0'),
    commit: typeof recorded === 'string' && COMMIT.test(recorded) ? recorded : commitFromGit(),
  };
  return cached;
}

/**
 * The engine version recorded with every run and proposal version and stamped into results:
 * `0.1.0+<40-hex commit>` (SemVer build metadata), or `0.1.0` when the commit is unknown. The
 * whole commit, because an investigator must be able to check out exactly that build.
 */
export function engineVersion(info: BuildInfo = buildInfo()): string {
  return info.commit ? `${info.version}+${info.commit}` : info.version;
}

/** `0.1.0 (commit 1a2b3c4d5e6f)`, or `0.1.0` when the commit is unknown. */
export function versionText(info: BuildInfo = buildInfo()): string {
  return info.commit ? `${info.version} (commit ${info.commit.slice(0, 12)})` : info.version;
}
