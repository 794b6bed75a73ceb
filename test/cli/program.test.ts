/** The CLI's own surface, as a user meets it: the version, and what a mistyped command gets. */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';
import { runCli } from '../support/service-process.ts';

const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version: string };

describe('dpm-rebalance-service CLI', () => {
  it('--version prints the package version and the git commit of the checkout', async () => {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag], {});
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${pkg.version} (commit ${commit.slice(0, 12)})\n`);
    }
  });

  it('an unknown command exits 64 naming it and listing the commands, instead of starting the server', async () => {
    const run = await runCli(['serv', '--port', '1'], {});
    expect(run.code).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("CLI_UNKNOWN_COMMAND: unknown command 'serv'. Commands: serve, simulate, migrate, cutover-check (see --help).\n");
  });

  it('an unknown option or a usage mistake in a command exits 64 too (not 1, which is a failed run)', async () => {
    const option = await runCli(['--bogus'], {});
    expect(option.code).toBe(64);
    expect(option.stderr).toContain("unknown option '--bogus'");
    const conflict = await runCli(['simulate', '--proposal', '--batch', 'request.json'], {});
    expect(conflict.code).toBe(64);
    expect(conflict.stderr).toContain("option '--proposal' cannot be used with option '--batch'");
  });
});
