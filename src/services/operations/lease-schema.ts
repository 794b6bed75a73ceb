/** What DPM and proposal operation payloads say about who holds an operation (docs/operations.md#lease-owners). */
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../domain/portfolio/schema-kit.ts';

export const LEASE_FIELDS = {
  attempts: Type.Integer({ minimum: 0, description: 'How many times a worker claimed it; above 1, a worker died or lost its database and another took over.' }),
  lease_owner: Nullable(Type.String({ description: 'While RUNNING: the worker holding it, `<host>:<pid>:<id>#<claim>` (docs/operations.md#lease-owners).' })),
  lease_expires_at: Nullable(Type.String({ description: 'While RUNNING: when the lease lapses unless renewed, and another worker may take the operation over.' })),
};
