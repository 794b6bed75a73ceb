/**
 * `npm start` as a developer (or a process manager) runs it: a signal sent to npm's own process
 * must reach the server, which drains and exits, instead of leaving it running without a parent.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROCESS_LIMIT_MS, trackProcess } from '../support/service-process.ts';
import { REPO_ROOT } from '../support/paths.ts';

/** Pids whose parent is `parent` (Linux /proc; the test suite runs on Linux). */
function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) is in parentheses.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Every process below `root`, children first or not, whatever shell npm puts in between. */
function descendantsOf(root: number): number[] {
  const children = childrenOf(root);
  return [...children, ...children.flatMap(descendantsOf)];
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start and signals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s to npm stops the server it started, gracefully', async (signal) => {
    const npm = trackProcess(
      spawn('npm', ['start'], { cwd: REPO_ROOT, env: { PATH: process.env['PATH'], HOME: process.env['HOME'], PORT: '0' } }),
    );
    let output = '';
    const serving = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not serve within ${PROCESS_LIMIT_MS} ms:\n${output}`)), PROCESS_LIMIT_MS);
      const collect = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('"msg":"Serving"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      npm.stdout.on('data', collect);
      npm.stderr.on('data', collect);
    });
    const npmExit = new Promise<number | null>((resolve) => npm.on('close', (code) => resolve(code)));
    await serving;
    const servers = descendantsOf(npm.pid as number).filter((pid) => commandLine(pid).includes('src/main.ts serve'));
    expect(servers).toHaveLength(1);

    try {
      npm.kill(signal);
      expect(await npmExit).toBe(0);
      await expect.poll(() => alive(servers[0] as number), { timeout: PROCESS_LIMIT_MS }).toBe(false);
      expect(output).toContain('"msg":"Shutdown complete"');
    } finally {
      // An orphaned server is exactly the failure this test looks for: never leave it running.
      for (const pid of servers) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
