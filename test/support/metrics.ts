/**
 * Reading the Prometheus text format in tests: one sample of a running service, or the whole
 * scrape parsed into families (HELP, TYPE, samples with their labels).
 */

/** Reads one sample of a running service's /metrics, e.g. `dpm_rebalance_engine_calls_total{path="pool",outcome="ok"}`. */
export async function metricValue(baseUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

export interface Sample {
  /** The sample's own name: the family's, or with `_bucket`, `_sum`, `_count` for a histogram. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Families by name, in the order of the scrape; a sample belongs to the family whose TYPE line precedes it. */
export function parseMetrics(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let found = families.get(name);
    if (!found) {
      found = { name, type: '', help: '', samples: [] };
      families.set(name, found);
    }
    return found;
  };
  let current: Family | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      current = family(name);
      Object.assign(current, kind === 'HELP' ? { help: rest } : { type: rest });
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample || !current) throw new Error(`not a metrics line: ${line}`);
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(LABEL)].map((m) => [m[1], m[2]]));
    current.samples.push({ name: sample[1] ?? '', labels, value: Number(sample[3]) });
  }
  return families;
}

/** The value of the sample `name` (a family's, or a histogram's `_count`, `_sum`, `_bucket`) with exactly these labels; undefined when there is none. */
export function valueOf(families: ReadonlyMap<string, Family>, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const wanted = Object.entries(labels);
  const family = families.get(name) ?? families.get(name.replace(/_(count|sum|bucket)$/, ''));
  const sample = family?.samples.find((s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([key, value]) => s.labels[key] === value));
  return sample?.value;
}
