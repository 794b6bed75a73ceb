/**
 * The PostgreSQL yardstick of `bench:api`: the cheapest durable write of a row the size of a
 * recorded run — one autocommitted `INSERT` of a 5 KB JSON document (a conformance request and its
 * result, as a run row holds them) into a table with an identity primary key, through a prepared
 * statement, from `connections` clients at once for `durationS` seconds. Each is one transaction
 * with its own commit (WAL flush, fsync on). Prints one JSON line like bench/support/load.ts, with
 * the PostgreSQL server's CPU over exactly the measured transactions.
 *
 * argv[2]: JSON `{ url, connections, durationS, postgresPid }`.
 */
import pg from 'pg';
import { conformanceVector } from '../../test/support/conformance.ts';
import { treeCpuMicros } from './process-cpu.ts';

const PAYLOAD_BYTES = 5 * 1024;

const spec = JSON.parse(process.argv[2] ?? '{}') as { url: string; connections: number; durationS: number; postgresPid: number };

/** ~5 KB of JSON with a run row's make-up (it compresses as a result does). */
function payload(): string {
  const vector = conformanceVector<{ request: unknown; expected: unknown }>('dpm', 'scenario_01_cash_inflow');
  const text = JSON.stringify({ request: vector.request, result: vector.expected });
  return JSON.stringify({ ...JSON.parse(text), padding: 'x'.repeat(Math.max(0, PAYLOAD_BYTES - text.length - 14)) });
}

const document = payload();
const setup = new pg.Client({ connectionString: spec.url });
await setup.connect();
await setup.query('CREATE TABLE IF NOT EXISTS bench_insert_5kb (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload json NOT NULL)');
await setup.end();

const clients = await Promise.all(
  Array.from({ length: spec.connections }, async () => {
    const client = new pg.Client({ connectionString: spec.url });
    await client.connect();
    return client;
  }),
);
const insert = { name: 'bench_insert_5kb', text: 'INSERT INTO bench_insert_5kb (payload) VALUES ($1)', values: [document] };
// One warm-up round prepares the statement on every connection.
await Promise.all(clients.map((client) => client.query(insert)));

const latencies: number[] = [];
const cpuBefore = treeCpuMicros(spec.postgresPid);
const started = process.hrtime.bigint();
const deadline = started + BigInt(spec.durationS * 1e9);
await Promise.all(
  clients.map(async (client) => {
    while (process.hrtime.bigint() < deadline) {
      const at = process.hrtime.bigint();
      await client.query(insert);
      latencies.push(Number(process.hrtime.bigint() - at) / 1e6);
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = treeCpuMicros(spec.postgresPid) - cpuBefore;
await Promise.all(clients.map((client) => client.end()));

latencies.sort((a, b) => a - b);
const at = (q: number): number => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
process.stdout.write(
  `${JSON.stringify({
    requests: latencies.length,
    requests_per_second: Math.round(latencies.length / seconds),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    non_2xx: 0,
    errors: 0,
    payload_bytes: Buffer.byteLength(document),
    cpu_us: { postgres: cpu },
  })}\n`,
);
