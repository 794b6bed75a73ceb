/**
 * The SOLVER's QP (nearest point of a polytope). Checked against closed-form answers, and on
 * random problems against an independent slow method (Dykstra's alternating projections).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveProjection, type ProjectionProblem } from '../../../src/domain/dpm/solver/projection-qp.ts';

function problem(parts: Partial<ProjectionProblem> & { target: number[] }): ProjectionProblem {
  const n = parts.target.length;
  return {
    target: parts.target,
    lower: parts.lower ?? new Array(n).fill(0),
    upper: parts.upper ?? new Array(n).fill(Infinity),
    sumAtMost: parts.sumAtMost ?? [],
    sumAtLeast: parts.sumAtLeast ?? [],
  };
}

function optimal(p: ProjectionProblem): number[] {
  const result = solveProjection(p);
  if (result.status !== 'optimal') throw new Error(result.status);
  return [...result.x];
}

/** Dykstra: cyclic projections with corrections converge to the projection onto the intersection. */
function dykstra(p: ProjectionProblem, rounds = 20000): number[] {
  const n = p.target.length;
  const sets: ((x: number[]) => number[])[] = [
    (x) => x.map((v, i) => Math.min(Math.max(v, p.lower[i] as number), p.upper[i] as number)),
    ...p.sumAtMost.map((c) => (x: number[]) => {
      const excess = c.members.reduce((s, i) => s + (x[i] as number), 0) - c.bound;
      if (excess <= 0) return x;
      const y = [...x];
      for (const i of c.members) y[i] = (y[i] as number) - excess / c.members.length;
      return y;
    }),
    ...p.sumAtLeast.map((c) => (x: number[]) => {
      const shortfall = c.bound - c.members.reduce((s, i) => s + (x[i] as number), 0);
      if (shortfall <= 0) return x;
      const y = [...x];
      for (const i of c.members) y[i] = (y[i] as number) + shortfall / c.members.length;
      return y;
    }),
  ];
  let x = [...p.target];
  const corrections = sets.map(() => new Array<number>(n).fill(0));
  for (let r = 0; r < rounds; r += 1) {
    sets.forEach((project, k) => {
      const shifted = x.map((v, i) => v + (corrections[k]![i] as number));
      const projected = project(shifted);
      corrections[k] = shifted.map((v, i) => v - (projected[i] as number));
      x = projected;
    });
  }
  return x;
}

describe('projection QP', () => {
  it('returns the target when it is feasible', () => {
    expect(optimal(problem({ target: [0.2, 0.3] }))).toEqual([0.2, 0.3]);
  });

  it('solves the conformance conflict case: cap 0.4, TECH ≤ 0.3, invested exactly 0.5', () => {
    const x = optimal(
      problem({
        target: [1, 0],
        upper: [0.4, 0.4],
        sumAtMost: [
          { members: [0, 1], bound: 0.5 },
          { members: [0], bound: 0.3 },
        ],
        sumAtLeast: [{ members: [0, 1], bound: 0.5 }],
      }),
    );
    expect(x[0]).toBeCloseTo(0.3, 12);
    expect(x[1]).toBeCloseTo(0.2, 12);
  });

  it('projects onto the simplex-like band by shifting free coordinates equally', () => {
    // Σ ≥ 0.9 from (0.1, 0.2, 0.3): add 0.1 to each.
    const x = optimal(problem({ target: [0.1, 0.2, 0.3], sumAtLeast: [{ members: [0, 1, 2], bound: 0.9 }] }));
    x.forEach((v, i) => expect(v).toBeCloseTo([0.2, 0.3, 0.4][i] as number, 12));
  });

  it('detects infeasibility: contradictory sums, capacity below the floor, a violated empty group', () => {
    const contradictory = problem({
      target: [0.5],
      sumAtMost: [{ members: [0], bound: 0.4 }],
      sumAtLeast: [{ members: [0], bound: 0.6 }],
    });
    const capacity = problem({ target: [1], upper: [0.4], sumAtLeast: [{ members: [0], bound: 0.5 }] });
    const emptyGroup = problem({ target: [0.5], sumAtMost: [{ members: [], bound: -0.1 }] });
    for (const p of [contradictory, capacity, emptyGroup]) expect(solveProjection(p).status).toBe('infeasible');
  });

  it('agrees with Dykstra on random feasible problems with overlapping groups', () => {
    const random = fc.record({
      target: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
      cap: fc.double({ min: 0.2, max: 1, noNaN: true }),
      floor: fc.double({ min: 0, max: 0.5, noNaN: true }),
      groups: fc.array(fc.tuple(fc.array(fc.nat(5), { maxLength: 4 }), fc.double({ min: 0.2, max: 1, noNaN: true })), {
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(random, ({ target, cap, floor, groups }) => {
        const n = target.length;
        const everyone = target.map((_, i) => i);
        // Keep it feasible: the floor fits under the cap, groups only bite above the floor share.
        const p = problem({
          target,
          upper: new Array(n).fill(cap),
          sumAtLeast: [{ members: everyone, bound: Math.min(floor, (cap * n) / 2) }],
          sumAtMost: [
            { members: everyone, bound: 1 },
            ...groups.map(([members, bound]) => ({ members: [...new Set(members.filter((i) => i < n))], bound: bound + floor })),
          ],
        });
        const x = optimal(p);
        const reference = dykstra(p);
        x.forEach((v, i) => expect(Math.abs(v - (reference[i] as number))).toBeLessThan(1e-6));
      }),
      { numRuns: 100, seed: 20260218 },
    );
  });
});
