/** Reads one sample of a running service's /metrics, e.g. `dpm_rebalance_engine_calls_total{path="pool",outcome="ok"}`. */
export async function metricValue(baseUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}
