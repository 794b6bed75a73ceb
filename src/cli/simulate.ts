/**
 * `simulate <file|->`: runs the DPM engine on a request file (`-`: standard input) and prints the
 * result as JSON on stdout. `--batch` runs a /rebalance/analyze body instead; `--proposal` runs the advisory
 * proposal engine on a ProposalSimulateRequest (/rebalance/proposals/simulate) and prints the
 * ProposalResult. The file may be a bare request body or a conformance vector
 * (`{name, request, batch_request?, expected}`), whose `request` (or `batch_request`) is used.
 *
 * Failures print one JSON object on stderr — `{"code", "message", "problems"?}` — and exit
 * non-zero: SIMULATE_INPUT_UNREADABLE (66) when the input cannot be read,
 * SIMULATE_INPUT_MALFORMED_JSON (65) when it is not JSON (the message gives line, column and
 * offset), DPM_REQUEST_INVALID / PROPOSAL_REQUEST_INVALID (65) with every validation problem when
 * the body is not a valid request.
 *
 * Ids and the clock live here, not in the engine: run ids are `rr_` + 8 random hex digits; a
 * proposal's run id is the reference's deterministic `pr_` + 8 hex of its request hash, so the
 * same proposal file always prints the same result.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { ReasonCode } from '../config/reason-codes.ts';
import {
  analyzeBatch,
  rebalanceRequestHash,
  simulateRebalance,
  validateBatchRebalanceRequest,
  validateRebalanceRequest,
  type ValidationResult,
} from '../domain/dpm/index.ts';
import {
  proposalRequestHash,
  proposalRunIdFor,
  simulateProposal,
  validateProposalSimulateRequest,
  type ProposalSimulateRequest,
} from '../domain/advisory/index.ts';
import { newId } from '../services/ids.ts';
import { referenceTimestamp } from '../services/reference-time.ts';
import { EX_DATAERR, EX_NOINPUT } from './exit-codes.ts';
import { parseJsonText } from './json-input.ts';

const nowUtc = (): string => referenceTimestamp(new Date());

/** One way of running a file. */
interface Mode<T> {
  /** The key of a conformance vector that holds this mode's body. */
  readonly vectorKey: string;
  /** Reported when the body does not validate. */
  readonly invalidCode: ReasonCode;
  validate(body: unknown): ValidationResult<T>;
  run(request: T): unknown;
}

const simulateMode: Mode<Parameters<typeof simulateRebalance>[0]> = {
  vectorKey: 'request',
  invalidCode: 'DPM_REQUEST_INVALID',
  validate: validateRebalanceRequest,
  run: (request) => simulateRebalance(request, { runId: newId('rr'), requestHash: rebalanceRequestHash(request) }),
};

const batchMode: Mode<Parameters<typeof analyzeBatch>[0]> = {
  vectorKey: 'batch_request',
  invalidCode: 'DPM_REQUEST_INVALID',
  validate: validateBatchRebalanceRequest,
  run: (request) =>
    analyzeBatch(request, { batchRunId: newId('batch'), runAtUtc: nowUtc(), newRunId: () => newId('rr') }),
};

const proposalMode: Mode<ProposalSimulateRequest> = {
  vectorKey: 'request',
  invalidCode: 'PROPOSAL_REQUEST_INVALID',
  validate: validateProposalSimulateRequest,
  run: (request) => {
    const requestHash = proposalRequestHash(request);
    return simulateProposal(request, { runId: proposalRunIdFor(requestHash), requestHash });
  },
};

function fail(code: ReasonCode, exitCode: number, message: string, extra = {}): void {
  process.stderr.write(`${JSON.stringify({ code, message, ...extra })}\n`);
  process.exitCode = exitCode;
}

/** `-` is standard input, as for most Unix tools. */
const STDIN = '-';

function readInput(file: string): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: readFileSync(file === STDIN ? 0 : file, 'utf8') };
  } catch (error) {
    return { ok: false, message: `Cannot read ${file === STDIN ? 'standard input' : file}: ${(error as Error).message}` };
  }
}

function runMode<T>(mode: Mode<T>, file: string): void {
  const input = readInput(file);
  if (!input.ok) {
    fail('SIMULATE_INPUT_UNREADABLE', EX_NOINPUT, input.message);
    return;
  }
  const parsed = parseJsonText(input.text, file === STDIN ? 'Standard input' : file);
  if (!parsed.ok) {
    fail('SIMULATE_INPUT_MALFORMED_JSON', EX_DATAERR, parsed.message);
    return;
  }
  const document = parsed.value;
  const isVector = typeof document === 'object' && document !== null && mode.vectorKey in document;
  const body = isVector ? (document as Record<string, unknown>)[mode.vectorKey] : document;
  const validated = mode.validate(body);
  if (!validated.ok) {
    fail(mode.invalidCode, EX_DATAERR, `${file} is not a valid request`, { problems: validated.problems });
    return;
  }
  process.stdout.write(`${JSON.stringify(mode.run(validated.value), null, 2)}\n`);
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('Run the DPM rebalance engine (or, with --proposal, the advisory proposal engine) on a request file; print the result as JSON.')
    .argument('<request.json>', 'RebalanceRequest body, or a conformance vector holding one under "request"; - reads standard input')
    .option('--batch', 'run a /rebalance/analyze body (or a vector\'s "batch_request") instead')
    .addOption(
      new Option(
        '--proposal',
        'run the advisory proposal engine on a ProposalSimulateRequest body (or a vector\'s "request")',
      ).conflicts('batch'),
    )
    .action((file: string, options: { batch?: boolean; proposal?: boolean }) => {
      if (options.proposal) runMode(proposalMode, file);
      else if (options.batch) runMode(batchMode, file);
      else runMode(simulateMode, file);
    });
}
