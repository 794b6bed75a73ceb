/** The slice of autocannon's programmatic API that bench/support/load.ts uses (the package ships no types). */
declare module 'autocannon' {
  interface Options {
    url: string | undefined;
    connections: number;
    duration: number;
    method: string;
    headers: Record<string, string | undefined>;
    body: string | undefined;
    idReplacement: boolean;
  }
  interface Result {
    /** `total`: completed requests. */
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  }
  export default function autocannon(options: Options): Promise<Result>;
}
