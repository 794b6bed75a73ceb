/** The document's title and tags: the reference's tag names, plus Health for what we add. */
import type { DocumentInfo, TagDoc } from './document.ts';

export const TAGS = {
  simulation: 'DPM Simulation',
  whatIf: 'DPM What-If Analysis',
  support: 'DPM Run Supportability',
  advisorySimulation: 'Advisory Simulation',
  lifecycle: 'Advisory Proposal Lifecycle',
  health: 'Health',
} as const;

export const API_TAGS: readonly TagDoc[] = [
  { name: TAGS.simulation, description: 'Core deterministic DPM simulation endpoints.' },
  { name: TAGS.whatIf, description: 'Batch scenario analysis endpoints (sync and async).' },
  { name: TAGS.support, description: 'Run, operation, idempotency, lineage, workflow, artifact and policy-pack endpoints.' },
  { name: TAGS.advisorySimulation, description: 'Advisory proposal simulation and artifact endpoints.' },
  { name: TAGS.lifecycle, description: 'Advisory proposal persistence, workflow, and support endpoints.' },
  { name: TAGS.health, description: 'Liveness, readiness and Prometheus metrics (this service only).' },
];

export const API_INFO: DocumentInfo = {
  title: 'Private Banking Rebalance API',
  version: '0.1.0',
  description:
    'DPM rebalance simulation, supportability and advisory proposal lifecycle (RFC-0025 persistence profiles). Domain outcomes of valid requests are in the body `status` (READY, PENDING_REVIEW, BLOCKED); errors keep the reference\'s `detail` and add `code` and `message` (docs/errors.md).',
};
