/**
 * Prints the artifact hash of a conformance vector's proposal, built with the ids given on the
 * command line: `node --import tsx artifact-hash.script.ts <vector.json> <runId> <correlationId> <createdAt>`.
 * Used by artifact.test.ts to check the hash across processes.
 */
import { readFileSync } from 'node:fs';
import {
  buildProposalArtifact,
  proposalRequestHash,
  simulateProposal,
  validateProposalSimulateRequest,
} from '../../../src/domain/advisory/index.ts';

const [file = '', runId = '', correlationId = '', createdAt = ''] = process.argv.slice(2);
const body = (JSON.parse(readFileSync(file, 'utf8')) as { request: unknown }).request;
const validated = validateProposalSimulateRequest(body);
if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
const requestHash = proposalRequestHash(validated.value);
const result = simulateProposal(validated.value, { runId, correlationId, requestHash, idempotencyKey: `key-${runId}` });
const artifact = buildProposalArtifact(validated.value, result, { createdAt });
process.stdout.write(`${artifact.evidence_bundle.hashes.artifact_hash}\n`);
