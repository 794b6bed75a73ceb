/**
 * The load generator of `bench:api`, run as its own process so it does not share a CPU loop
 * with the orchestration: autocannon against one URL, printing its figures as one JSON line.
 * argv: url, connections, durationS, idempotency-key pattern (`[<id>]` becomes a unique id), body.
 */
import autocannon from 'autocannon';

const [url, connections, durationS, idempotencyKey, body] = process.argv.slice(2);
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(durationS),
  method: 'POST',
  headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
  body,
  idReplacement: true,
});
process.stdout.write(
  `${JSON.stringify({
    requests_per_second: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors,
  })}\n`,
);
