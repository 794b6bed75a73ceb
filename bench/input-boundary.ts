/**
 * `npm run bench:input`: what the input boundary's body check (src/http/unsafe-text.ts) costs the
 * serving thread, next to parsing the same body. Generated simulate requests of 5, 1,000 and
 * 10,000 positions; for each, JSON.parse, the check as every body gets it (a length walk, no
 * character scan unless the text holds `\u0000` or a surrogate escape), and the full walk a body
 * with such an escape gets. Several alternating rounds, the best counts (the least disturbed by
 * other work on the machine). Prints one line per size, or one JSON object with `--json`.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { bodyTextCheck, textErrors } from '../src/http/unsafe-text.ts';
import { TEXT_MAX_LENGTH } from '../src/http/schema-kit.ts';
import { generatedRequest } from '../test/domain/dpm/generated-request.ts';

const ROUNDS = 7;
const REPEATS = 20;

function bestMs(work: () => void): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    for (let i = 0; i < REPEATS; i += 1) work();
    best = Math.min(best, (performance.now() - started) / REPEATS);
  }
  return Math.round(best * 1000) / 1000;
}

const results = [5, 1_000, 10_000].map((positions) => {
  const text = JSON.stringify(generatedRequest(positions));
  const value: unknown = JSON.parse(text);
  return {
    positions,
    body_kb: Math.round(text.length / 1024),
    json_parse_ms: bestMs(() => JSON.parse(text)),
    body_check_ms: bestMs(() => {
      const check = bodyTextCheck(text, TEXT_MAX_LENGTH);
      if (check) textErrors(value, check);
    }),
    walk_with_characters_ms: bestMs(() => textErrors(value, { maxLength: TEXT_MAX_LENGTH })),
  };
});

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ load_average: loadavg()[0], results })}\n`);
} else {
  for (const r of results) {
    process.stdout.write(`${r.positions} positions (${r.body_kb} KB): JSON.parse ${r.json_parse_ms} ms, body check ${r.body_check_ms} ms, walk with character scan ${r.walk_with_characters_ms} ms\n`);
  }
  process.stdout.write(`load average ${loadavg()[0]?.toFixed(1)}\n`);
}
