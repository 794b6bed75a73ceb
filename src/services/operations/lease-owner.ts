/**
 * Who holds an async operation's lease (`lease_owner`), one scheme for DPM and proposal operations
 * (docs/operations.md#lease-owners).
 *
 * `<host>:<pid>:<8 hex>#<claim>`: the part before `#` names the process — what an operator needs to
 * find the replica that holds a stuck operation — and is the same for every claim the process makes;
 * the claim number makes each lease its own. That matters when a process stalls past its lease and
 * then takes the same operation over again: the stalled first claim must not pass for the second,
 * so its late completion is refused by the store's lease-holder check.
 */
import { hostname } from 'node:os';
import type { LeasedOperation } from '../../stores/sql/operation-leases.ts';
import { randomIdHex } from '../ids.ts';

/** This process as lease owners name it. */
export const PROCESS_WORKER_ID = `${hostname()}:${process.pid}:${randomIdHex().slice(0, 8)}`;

let claims = 0;

/** A lease owner for one claim, of this process or of the worker identity given (tests name several). */
export function newLeaseOwner(workerId: string = PROCESS_WORKER_ID): string {
  claims += 1;
  return `${workerId}#${claims}`;
}

/** The owner of a claimed operation's lease, which renews and finishes it; a claim always sets one. */
export function leaseHolder(operation: LeasedOperation): string {
  if (operation.lease_owner === null) throw new Error(`Operation ${operation.operation_id} was handed over without a lease.`);
  return operation.lease_owner;
}
