/**
 * The input boundary as a property (docs/errors.md#field-limits): strings made of control
 * characters, NUL, lone and paired surrogates, non-ASCII text and ordinary letters, from empty to
 * several thousand characters, sent to representative routes — a path parameter, query filters of
 * both stores, the identifiers of a proposal create, a workflow decision, an Idempotency-Key — never
 * answer 5xx, and IN_MEMORY, SQLITE and POSTGRES answer alike: the same status, and the same body
 * for every refusal. Real servers on real sockets; fast-check prints the seed of a failure.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROPOSAL_REQUEST_EXAMPLE } from '../../src/http/routes/proposals/simulation.ts';
import { BACKENDS, send, serveOn, type Answer, type Backend, type Sent, type ServiceOnBackend } from '../support/all-backends.ts';
import { dpmVector } from '../support/dpm-api.ts';

const RUNS = 40;

/** One character: the troublemakers often, ordinary text otherwise. */
const character = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\u0000', '\u0001', '\u0007', '\t', '\n', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u2028') },
  { weight: 2, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude00', '\ud83d', '\ufffd', '\ufeff') },
  { weight: 2, arbitrary: fc.constantFrom('é', 'ß', 'Ж', '中', 'ø', '%', '/', '?', '&', '=', '#', '+', ' ', '"', '\\', "'") },
  { weight: 5, arbitrary: fc.constantFrom(...'abcxyzABC0129_-.:') },
);

/** Text that is valid everywhere, up to the identifier limit, four-byte characters included. */
const clean = fc.string({ unit: fc.constantFrom(...'abcXYZ019_-.:é中', '\ud83d\ude00'), minLength: 1, maxLength: 256 });

/** Valid, short, around the 256-character identifier limit, or far beyond it. */
const text = fc.oneof(
  { weight: 4, arbitrary: clean },
  { weight: 6, arbitrary: fc.string({ unit: character, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: character, minLength: 250, maxLength: 262 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ unit: character, minLength: 1, maxLength: 4 }), fc.integer({ min: 500, max: 1500 })).map(([unit, times]) => unit.repeat(times)) },
);

/** What a header can carry on the wire: visible ASCII, spaces and Latin-1, any length up to 3,000. */
const headerText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:/ ', 'é', 'ÿ', '\u00a0'), minLength: 1, maxLength: 300 }),
  fc.integer({ min: 250, max: 3000 }).map((n) => 'k'.repeat(n)),
);

/** UTF-8 percent-encoding that keeps lone surrogates visible to the server as U+FFFD, as any client sends them. */
const encode = (value: string): string => [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

const SIMULATE = dpmVector('scenario_01_cash_inflow').request;
const withPortfolio = (request: Record<string, unknown>, portfolioId: string): Record<string, unknown> => ({
  ...request,
  portfolio_snapshot: { ...(request['portfolio_snapshot'] as Record<string, unknown>), portfolio_id: portfolioId },
});

describe('generated strings on representative routes: never a 5xx, and the same answer on every backend', () => {
  const services = new Map<Backend, ServiceOnBackend>();

  beforeAll(async () => {
    for (const backend of BACKENDS) services.set(backend, await serveOn(backend));
  }, 120_000);

  afterAll(async () => {
    for (const service of services.values()) await service.close();
  });

  /** Sends `request` to every backend and checks the property; a failure names the request. */
  async function sameEverywhere(request: Sent): Promise<void> {
    const answers = new Map<Backend, Answer>();
    for (const [backend, service] of services) answers.set(backend, await send(service, request));
    const reference = answers.get('IN_MEMORY') as Answer;
    const report = `${request.method} ${request.url.slice(0, 120)}\n${[...answers].map(([b, a]) => `  ${b} ${a.status} ${a.body.slice(0, 160)}`).join('\n')}`;
    for (const answer of answers.values()) {
      expect(answer.status, report).toBeLessThan(500);
      expect(answer.status, report).toBe(reference.status);
      if (answer.status >= 400) expect(answer.body, report).toBe(reference.body);
    }
  }

  it('a run id in the path', async () => {
    await fc.assert(fc.asyncProperty(text, (id) => sameEverywhere({ method: 'GET', url: `/rebalance/runs/${encode(id)}` })), { numRuns: RUNS });
  }, 300_000);

  it('filters of the run and proposal lists, and a cursor', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, text, async (portfolio, creator, cursor) => {
        await sameEverywhere({ method: 'GET', url: `/rebalance/runs?portfolio_id=${encode(portfolio)}&status=${encode(creator)}` });
        await sameEverywhere({ method: 'GET', url: `/rebalance/proposals?portfolio_id=${encode(portfolio)}&created_by=${encode(creator)}` });
        await sameEverywhere({ method: 'GET', url: `/rebalance/workflow/decisions?actor_id=${encode(creator)}&cursor=${encode(cursor)}` });
      }),
      { numRuns: RUNS },
    );
  }, 300_000);

  it('the identifiers and text of a proposal create and a workflow decision', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, text, async (creator, portfolio, note) => {
        await sameEverywhere({
          method: 'POST',
          url: '/rebalance/proposals',
          headers: { 'idempotency-key': `prop-${encode(creator).slice(0, 200)}-${encode(portfolio).slice(0, 40)}` },
          body: { created_by: creator, simulate_request: withPortfolio(PROPOSAL_REQUEST_EXAMPLE as Record<string, unknown>, portfolio), metadata: { title: note, advisor_notes: note } },
        });
        await sameEverywhere({
          method: 'POST',
          url: `/rebalance/runs/${encode(portfolio)}/workflow/actions`,
          body: { action: 'APPROVE', reason_code: 'REVIEW_APPROVED', comment: note, actor_id: creator },
        });
      }),
      { numRuns: RUNS },
    );
  }, 300_000);

  it('an Idempotency-Key and a portfolio id on simulate', async () => {
    await fc.assert(
      fc.asyncProperty(headerText, text, async (key, portfolio) => {
        await sameEverywhere({ method: 'POST', url: '/rebalance/simulate', headers: { 'idempotency-key': key }, body: withPortfolio(SIMULATE, portfolio) });
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
