import { describe, expect, it } from 'vitest';
import { createOperationWorker, withLeaseHeartbeat } from '../../src/services/operation-worker.ts';

describe('operation worker', () => {
  it('runs every claimed operation once, keeps going after an error, and stops after the one in hand', async () => {
    const queue = ['a', 'boom', 'b', 'c'];
    const ran: string[] = [];
    const errors: unknown[] = [];
    const worker = createOperationWorker<string>({
      claim: async () => queue.shift() ?? null,
      run: async (op) => {
        if (op === 'boom') throw new Error('boom');
        ran.push(op);
      },
      pollMs: 5,
      onError: (error) => errors.push(error),
    });
    worker.start();
    await expect.poll(() => ran.length).toBe(3);
    await worker.stop();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(errors).toHaveLength(1);
  });

  it('stop() during an in-flight claim does not wait out the poll interval', async () => {
    let release: (value: null) => void = () => {};
    let claims = 0;
    const worker = createOperationWorker<string>({
      claim: () => {
        claims += 1;
        return new Promise<null>((resolve) => (release = resolve));
      },
      run: async () => {},
      pollMs: 600_000,
      onError: () => {},
    });
    worker.start();
    await expect.poll(() => claims).toBe(1);
    const stopped = worker.stop();
    release(null);
    await stopped;
    expect(claims).toBe(1);
  });

  it('wake() ends the idle wait, so a new operation does not wait for the poll interval', async () => {
    const queue: string[] = [];
    const ran: string[] = [];
    const worker = createOperationWorker<string>({
      claim: async () => queue.shift() ?? null,
      run: async (op) => void ran.push(op),
      pollMs: 600_000,
      onError: () => {},
    });
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    queue.push('x');
    worker.wake();
    await expect.poll(() => ran, { timeout: 2_000 }).toEqual(['x']);
    await worker.stop();
  });

  it('heartbeat renews the lease while work runs and aborts the work once the lease is lost', async () => {
    let renewals = 0;
    const aborted = await withLeaseHeartbeat(
      async () => ++renewals < 3,
      30,
      (signal) => new Promise<boolean>((resolve) => signal.addEventListener('abort', () => resolve(true))),
    );
    expect(aborted).toBe(true);
    expect(renewals).toBe(3);
  });
});
