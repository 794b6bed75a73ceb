/**
 * The metric names of the release before the service prefix, kept for one more release
 * (docs/operations.md#renamed-metrics): a dashboard or alert on an old name would otherwise go
 * silently empty — an alert on `rate(…)` simply stops firing — the day the new release rolls out.
 *
 * Every former name is its family's name without the prefix, and it is exported from the very
 * samples of that family: each scrape collects once (some collectors reset what they read, such
 * as the event-loop delay histogram), then writes the family under both names. HELP marks the
 * old name deprecated. Workers of a cluster hand the same doubled list to the primary's
 * AggregatorRegistry (`getMetricsAsJSON`), so both names aggregate there too.
 */
import { Registry, type Metric, type MetricObjectWithValues, type MetricValue } from 'prom-client';

type Family = MetricObjectWithValues<MetricValue<string>>;

/** The family under its former name: sample names (`_bucket`, `_sum`, `_count` too) follow. */
function underFormerName(family: Family, prefix: string): Family {
  const former = family.name.slice(prefix.length);
  return {
    ...family,
    name: former,
    help: `Deprecated: renamed ${family.name}; this name goes in the next release. ${family.help}`,
    values: family.values.map((value) => {
      const metricName = (value as { metricName?: string }).metricName;
      return metricName === undefined ? value : { ...value, metricName: former + metricName.slice(family.name.length) };
    }),
  };
}

/** A family already collected, registered as if it were a metric, so prom-client writes the text format. */
function collected(family: Family): Metric {
  return { name: family.name, type: family.type, get: async () => family, reset: () => undefined } as unknown as Metric;
}

export class RegistryWithFormerNames extends Registry {
  readonly #prefix: string;
  readonly #renamed: Set<string>;

  /** `renamed`: the families (full, prefixed names) that had the same name without `prefix` in the previous release. */
  constructor(prefix: string, renamed: Iterable<string> = []) {
    super();
    this.#prefix = prefix;
    this.#renamed = new Set(renamed);
  }

  /** Marks more families as renamed (the runtime metrics are known only once prom-client has registered them). */
  renamed(names: Iterable<string>): void {
    for (const name of names) this.#renamed.add(name);
  }

  override async getMetricsAsJSON(): Promise<Family[]> {
    const families = await super.getMetricsAsJSON();
    const former = families.filter((family) => this.#renamed.has(family.name)).map((family) => underFormerName(family, this.#prefix));
    return [...families, ...former];
  }

  override async metrics(): Promise<string> {
    const text = new Registry();
    for (const family of await this.getMetricsAsJSON()) text.registerMetric(collected(family));
    return text.metrics();
  }
}
