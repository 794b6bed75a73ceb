/**
 * Starts the real service as a user would (`node --import tsx src/main.ts …`) with a clean
 * environment, so nothing from the developer's shell leaks into a test.
 *
 * Every process started here is tracked until it exits: `killLeftoverProcesses` (run after each
 * test file by test/support/leftover-processes.ts) kills whatever a failed or timed-out test left
 * running, so one slow test cannot leave servers behind that starve the rest of the run.
 *
 * Limits are generous on purpose: on a loaded two-core machine a `tsx` start alone can take
 * several seconds. They bound a hang; a passing test never waits for them.
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type SpawnOptionsWithoutStdio } from 'node:child_process';
import { REPO_ROOT } from './paths.ts';


/** How long a CLI run or a service start may take before the test fails (and the process is killed). */
export const PROCESS_LIMIT_MS = 90_000;

/** Which build of the program to run: where, and the node arguments before the command. */
export interface Program {
  readonly cwd: string;
  readonly entry: readonly string[];
}

/** The sources through tsx, as `npm start` runs them. */
export const SOURCES: Program = { cwd: REPO_ROOT, entry: ['--import', 'tsx', 'src/main.ts'] };

/** A compiled `dist/` (npm run build) inside `root`, run with plain node. */
export function compiled(root: string): Program {
  return { cwd: root, entry: ['dist/main.js'] };
}

const running = new Set<ChildProcess>();

/** Tracks a process a test started until it exits, so a failed test cannot leave it running. */
export function trackProcess<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Spawns a Node process of ours, tracked. */
function spawnTracked(args: readonly string[], options: SpawnOptionsWithoutStdio): ChildProcessWithoutNullStreams {
  return trackProcess(spawn(process.execPath, args, options));
}

/** Kills (SIGKILL) every process a test started and did not stop; resolves when they are gone. */
export async function killLeftoverProcesses(): Promise<number> {
  const leftovers = [...running];
  await Promise.all(
    leftovers.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  return leftovers.length;
}

export type TestEnv = Record<string, string | undefined>;

/**
 * One server process unless a test asks for more (WEB_CONCURRENCY's default is one per core once
 * the stores are shared): most tests observe one process's logs and state, and a two-core machine
 * running many test files should not carry a cluster per test. test/e2e/cluster.test.ts runs several.
 */
function childEnv(env: TestEnv): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'info', WEB_CONCURRENCY: '1', ...env };
}

export interface ExitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves with the first line of stdout or stderr matching `pattern`, as soon as it is printed. */
  waitForLine(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once the process exited, with everything it printed. */
  readonly exited: Promise<ExitResult>;
}

/** Starts the CLI and hands it over while it runs; a run that outlives `timeoutMs` is killed and fails the test. */
export function startCli(args: readonly string[], env: TestEnv, timeoutMs = PROCESS_LIMIT_MS, program = SOURCES): CliProcess {
  const child = spawnTracked([...program.entry, ...args], { cwd: program.cwd, env: childEnv(env) });
  const printed = { stdout: '', stderr: '' };
  const watchers = new Set<() => void>();
  // Set on 'close', not 'exit': output may still arrive between the two.
  let closed = false;
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].on('data', (chunk: Buffer) => {
      printed[stream] += chunk.toString();
      for (const watch of watchers) watch();
    });
  }
  const exited = new Promise<ExitResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`${args.join(' ')}\` did not exit within ${timeoutMs} ms.\nstdout:\n${printed.stdout}\nstderr:\n${printed.stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      closed = true;
      for (const watch of watchers) watch();
      resolve({ code, signal, ...printed });
    });
  });
  const waitForLine = (stream: 'stdout' | 'stderr', pattern: RegExp, waitMs = timeoutMs): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no ${stream} line matched ${pattern} within ${waitMs} ms:\n${printed[stream]}`)), waitMs);
      const finish = (outcome: string | Error): void => {
        clearTimeout(timer);
        watchers.delete(watch);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const watch = (): void => {
        const line = printed[stream].split('\n').find((candidate) => pattern.test(candidate));
        if (line !== undefined) finish(line);
        else if (closed) finish(new Error(`exited before a ${stream} line matched ${pattern}:\n${printed[stream]}`));
      };
      watchers.add(watch);
      watch();
    });
  return { child, waitForLine, exited };
}

/** Runs the CLI to completion; a run that outlives `timeoutMs` is killed and fails the test. */
export function runCli(args: readonly string[], env: TestEnv, timeoutMs = PROCESS_LIMIT_MS, program = SOURCES): Promise<ExitResult> {
  return startCli(args, env, timeoutMs, program).exited;
}

export interface RunningService {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code (SIGKILL after PROCESS_LIMIT_MS if it will not exit). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `serve` on a free port and resolves once it logs that it is serving. */
export function startService(env: TestEnv, timeoutMs = PROCESS_LIMIT_MS, program = SOURCES): Promise<RunningService> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked([...program.entry, 'serve'], {
      cwd: program.cwd,
      env: childEnv({ PORT: '0', ...env }),
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.includes('"msg":"Serving"')) continue;
        const record = JSON.parse(line) as { address: { address: string; port: number }[] };
        const address = record.address[0];
        if (!address) continue;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.on('data', (more: Buffer) => (output += more.toString()));
        resolve({
          baseUrl: `http://${address.address}:${address.port}`,
          child,
          output: () => output,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null) child.kill(signal);
            const kill = setTimeout(() => child.kill('SIGKILL'), PROCESS_LIMIT_MS);
            return exited.finally(() => clearTimeout(kill));
          },
        });
        return;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before serving:\n${output}`));
    });
  });
}

/** The PRODUCTION profile with the DPM and proposal stores on PostgreSQL at `dsn` (one database for both). */
export function productionEnv(dsn: string, extra: TestEnv = {}): TestEnv {
  return {
    APP_PERSISTENCE_PROFILE: 'PRODUCTION',
    DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
    DPM_SUPPORTABILITY_POSTGRES_DSN: dsn,
    PROPOSAL_STORE_BACKEND: 'POSTGRES',
    PROPOSAL_POSTGRES_DSN: dsn,
    ...extra,
  };
}
