/**
 * `node --import tsx bench/cpu-profile-summary.ts FILE.cpuprofile [--last S] [--top N]`: where a
 * `node --cpu-prof` profile spent its CPU, by self time — per category (garbage collection,
 * PostgreSQL protocol, JSON, hashing, Fastify, our code by folder, …) and the top functions —
 * as markdown. `--last S` keeps only the profile's last S seconds (the load phase, without
 * startup). Idle samples are left out, so percentages are of the CPU the thread used.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** First match wins: [category, test on "url functionName"]. */
const CATEGORIES: readonly [string, RegExp][] = [
  ['garbage collection', /^ \(garbage collector\)$/],
  ['PostgreSQL client (pg, pg-protocol)', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass)\//],
  ['Fastify and its plugins', /node_modules\/(fastify|@fastify|find-my-way|light-my-request|avvio|fast-json-stringify|fast-querystring|secure-json-parse)\//],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|thread-stream)/],
  ['metrics and tracing', /node_modules\/(prom-client|@opentelemetry)\//],
  ['JSON (native parse/stringify)', /^ (parse|stringify)$/],
  ['hashing and random (node:crypto)', /node:internal\/crypto|^ (Hash|update|digest|randomBytes|randomFillSync)$/],
  ['engine (src/domain)', /\/src\/domain\//],
  ['our HTTP layer (src/http, src/app)', /\/src\/(http|app)\//],
  ['our services (src/services)', /\/src\/services\//],
  ['our stores (src/stores)', /\/src\/stores\//],
  ['our configuration (src/config)', /\/src\/config\//],
  ['Node networking and streams', /node:(internal\/)?(net|stream|streams|http|_http|stream_base_commons|timers|events)|^ (writev|writeBuffer|writeUtf8String|onStreamRead)$/],
  ['V8 and native (program)', /^ \(program\)$/],
];

function category(frame: ProfileNode['callFrame']): string {
  const key = `${frame.url} ${frame.functionName}`;
  return CATEGORIES.find(([, test]) => test.test(key))?.[0] ?? (frame.url === '' ? 'other native' : 'other JavaScript');
}

const args = process.argv.slice(2);
const option = (name: string): number | undefined => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
const file = args[0];
if (!file) throw new Error('usage: cpu-profile-summary.ts FILE.cpuprofile [--last S] [--top N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));

// Sample i took timeDeltas[i + 1] µs (a delta is the time since the previous sample).
const times = profile.timeDeltas.map((_, i) => profile.timeDeltas[i + 1] ?? 0);
const total = times.reduce((sum, t) => sum + t, 0);
const last = option('--last');
const from = last === undefined ? 0 : total - last * 1e6;
const selfByFunction = new Map<string, number>();
const selfByCategory = new Map<string, number>();
let elapsed = 0;
let busy = 0;
for (const [i, id] of profile.samples.entries()) {
  const time = times[i] ?? 0;
  elapsed += time;
  const frame = nodes.get(id)?.callFrame;
  if (elapsed < from || !frame || frame.functionName === '(idle)') continue;
  busy += time;
  const where = frame.url === '' ? frame.functionName : `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${frame.lineNumber + 1}`;
  selfByFunction.set(where, (selfByFunction.get(where) ?? 0) + time);
  const name = category(frame);
  selfByCategory.set(name, (selfByCategory.get(name) ?? 0) + time);
}

const percent = (time: number): string => `${((100 * time) / busy).toFixed(1)} %`;
const sorted = (map: Map<string, number>): [string, number][] => [...map].sort((a, b) => b[1] - a[1]);
const lines = [`Busy CPU ${(busy / 1e6).toFixed(2)} s${last === undefined ? '' : ` in the last ${last} s`}.`, '', '| category | self time |', '|---|---|'];
for (const [name, time] of sorted(selfByCategory)) lines.push(`| ${name} | ${percent(time)} |`);
lines.push('', '| function | self time |', '|---|---|');
for (const [name, time] of sorted(selfByFunction).slice(0, option('--top') ?? 20)) lines.push(`| \`${name}\` | ${percent(time)} |`);
process.stdout.write(`${lines.join('\n')}\n`);
