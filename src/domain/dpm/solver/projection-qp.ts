/**
 * Exact solver for the SOLVER target method's quadratic program: the point of a polytope
 * closest to the model weights,
 *
 *     minimise ½‖x − m‖²   subject to   lowerᵢ ≤ xᵢ ≤ upperᵢ,   Σ_{i∈S} xᵢ ≤ b,   Σ_{i∈S} xᵢ ≥ b.
 *
 * Method: the dual active-set method of Goldfarb & Idnani (1983). It starts at the
 * unconstrained optimum x = m and repeatedly takes the most violated constraint, moving x
 * along the projection of its normal onto the subspace the active constraints leave free, and
 * dropping active constraints whose multipliers would turn negative. Every iterate satisfies
 * the optimality conditions of the constraints active so far, so when nothing is violated the
 * point is the exact optimum (up to float rounding); it ends after finitely many steps. If a
 * violated constraint cannot be reached — its normal is a non-negative combination of active
 * normals pointing the other way — the problem has no feasible point, which is how
 * infeasibility is detected (no separate phase-one problem needed).
 *
 * The Hessian is the identity, and most constraints are bounds (normals ±eᵢ), so the linear
 * algebra is done on the small system of the active *sum* constraints only: active bounds just
 * freeze their coordinate. One iteration costs O(n·q²) for q active sum constraints.
 *
 * Floats are fine here: the reference solves the same problem in floating point (OSQP) and
 * quantizes to 4 decimals afterwards.
 */

export interface SumConstraint {
  /** Indices of the variables summed (no duplicates). */
  readonly members: readonly number[];
  readonly bound: number;
}

export interface ProjectionProblem {
  /** The point to approach (the model weights). */
  readonly target: readonly number[];
  readonly lower: readonly number[];
  /** `Infinity` for no upper bound. */
  readonly upper: readonly number[];
  readonly sumAtMost: readonly SumConstraint[];
  readonly sumAtLeast: readonly SumConstraint[];
}

export type ProjectionResult =
  | { readonly status: 'optimal'; readonly x: readonly number[]; readonly iterations: number }
  | { readonly status: 'infeasible'; readonly iterations: number }
  | { readonly status: 'iteration_limit'; readonly iterations: number };

/** A constraint in the form coef · Σ_{members} x ≥ b, with coef ±1. */
interface Constraint {
  readonly members: readonly number[];
  /** For bounds: the single coordinate; −1 for sum constraints. */
  readonly coordinate: number;
  readonly coef: 1 | -1;
  readonly b: number;
  /** Membership flags of sum constraints (undefined for bounds). */
  readonly mask?: Uint8Array;
}

const VIOLATION_TOLERANCE = 1e-12;
const DEPENDENCE_TOLERANCE = 1e-14;
const MULTIPLIER_TOLERANCE = 1e-12;

function buildConstraints(problem: ProjectionProblem): Constraint[] {
  const n = problem.target.length;
  const constraints: Constraint[] = [];
  for (let i = 0; i < n; i += 1) {
    const lower = problem.lower[i] as number;
    const upper = problem.upper[i] as number;
    if (Number.isFinite(lower)) constraints.push({ members: [i], coordinate: i, coef: 1, b: lower });
    if (Number.isFinite(upper)) constraints.push({ members: [i], coordinate: i, coef: -1, b: -upper });
  }
  const sum = (c: SumConstraint, coef: 1 | -1): Constraint => {
    const mask = new Uint8Array(n);
    for (const i of c.members) mask[i] = 1;
    return { members: c.members, coordinate: -1, coef, b: coef * c.bound, mask };
  };
  for (const c of problem.sumAtMost) constraints.push(sum(c, -1));
  for (const c of problem.sumAtLeast) constraints.push(sum(c, 1));
  return constraints;
}

function slack(constraint: Constraint, x: Float64Array): number {
  let total = 0;
  for (const i of constraint.members) total += x[i] as number;
  return constraint.coef * total - constraint.b;
}

/** Solves the small dense system S·y = rhs (Gaussian elimination, partial pivoting). */
function solveDense(matrix: number[][], rhs: number[]): number[] {
  const q = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i] as number]);
  for (let col = 0; col < q; col += 1) {
    let pivot = col;
    for (let row = col + 1; row < q; row += 1) {
      if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    }
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    for (let row = col + 1; row < q; row += 1) {
      const f = a[row]![col]! / p;
      if (f === 0) continue;
      for (let k = col; k <= q; k += 1) a[row]![k]! -= f * a[col]![k]!;
    }
  }
  const y = new Array<number>(q).fill(0);
  for (let row = q - 1; row >= 0; row -= 1) {
    let value = a[row]![q]!;
    for (let k = row + 1; k < q; k += 1) value -= a[row]![k]! * y[k]!;
    y[row] = value / a[row]![row]!;
  }
  return y;
}

class ActiveSet {
  /** Active bound constraint id per coordinate, or −1 when the coordinate is free. */
  readonly boundAt: Int32Array;
  readonly sums: number[] = [];

  constructor(n: number) {
    this.boundAt = new Int32Array(n).fill(-1);
  }

  add(id: number, constraint: Constraint): void {
    if (constraint.coordinate >= 0) this.boundAt[constraint.coordinate] = id;
    else this.sums.push(id);
  }

  remove(id: number, constraint: Constraint): void {
    if (constraint.coordinate >= 0) this.boundAt[constraint.coordinate] = -1;
    else this.sums.splice(this.sums.indexOf(id), 1);
  }
}

/**
 * For the normal v of the entering constraint: z = part of v orthogonal to every active normal
 * (the primal step direction), r = coefficients expressing the rest in active normals (the
 * dual step), keyed by constraint id.
 */
function stepDirections(
  entering: Constraint,
  active: ActiveSet,
  constraints: readonly Constraint[],
  n: number,
): { z: Float64Array; r: Map<number, number> } {
  const v = new Float64Array(n);
  for (const i of entering.members) v[i] = entering.coef;
  const free = (i: number): boolean => active.boundAt[i] === -1;
  const sums = active.sums.map((id) => constraints[id] as Constraint);

  // β solves (M Mᵀ) β = M v over the free coordinates, M = active sum normals.
  const q = sums.length;
  const gram: number[][] = sums.map(() => new Array<number>(q).fill(0));
  const rhs = new Array<number>(q).fill(0);
  for (let i = 0; i < n; i += 1) {
    if (!free(i)) continue;
    for (let a = 0; a < q; a += 1) {
      const ca = sums[a]!;
      if (ca.mask![i] === 0) continue;
      rhs[a]! += ca.coef * v[i]!;
      for (let b = 0; b < q; b += 1) {
        const cb = sums[b]!;
        if (cb.mask![i] === 1) gram[a]![b]! += ca.coef * cb.coef;
      }
    }
  }
  const beta = q === 0 ? [] : solveDense(gram, rhs);

  const z = new Float64Array(n);
  const r = new Map<number, number>();
  sums.forEach((_, a) => r.set(active.sums[a]!, beta[a]!));
  for (let i = 0; i < n; i += 1) {
    let explained = 0;
    for (let a = 0; a < q; a += 1) if (sums[a]!.mask![i] === 1) explained += beta[a]! * sums[a]!.coef;
    const residual = v[i]! - explained;
    const boundId = active.boundAt[i]!;
    if (boundId === -1) z[i] = residual;
    else r.set(boundId, (constraints[boundId] as Constraint).coef * residual);
  }
  return { z, r };
}

export function solveProjection(problem: ProjectionProblem): ProjectionResult {
  const n = problem.target.length;
  const constraints = buildConstraints(problem);
  const x = Float64Array.from(problem.target);
  const multipliers = new Float64Array(constraints.length);
  const active = new ActiveSet(n);
  const isActive = new Uint8Array(constraints.length);
  const maxIterations = 50 * (n + constraints.length) + 100;
  let iterations = 0;

  for (;;) {
    // Most violated inactive constraint.
    let entering = -1;
    let worst = -VIOLATION_TOLERANCE;
    constraints.forEach((c, id) => {
      if (isActive[id] === 1) return;
      const s = slack(c, x);
      if (s < worst) {
        worst = s;
        entering = id;
      }
    });
    if (entering === -1) return { status: 'optimal', x: Array.from(x), iterations };
    const p = constraints[entering] as Constraint;
    multipliers[entering] = 0;

    for (;;) {
      iterations += 1;
      if (iterations > maxIterations) return { status: 'iteration_limit', iterations };
      const { z, r } = stepDirections(p, active, constraints, n);
      let zDotN = 0;
      for (const i of p.members) zDotN += z[i]! * p.coef;
      const normV = Math.max(1, p.members.length);

      // Partial (dual) step: the first active multiplier to reach zero.
      let t1 = Infinity;
      let leaving = -1;
      for (const [id, rj] of r) {
        if (rj <= MULTIPLIER_TOLERANCE) continue;
        const ratio = multipliers[id]! / rj;
        if (ratio < t1) {
          t1 = ratio;
          leaving = id;
        }
      }
      // Full (primal) step: just enough to satisfy the entering constraint.
      const dependent = zDotN <= DEPENDENCE_TOLERANCE * normV;
      const t2 = dependent ? Infinity : -slack(p, x) / zDotN;
      const t = Math.min(t1, t2);
      if (t === Infinity) return { status: 'infeasible', iterations };

      if (!dependent) for (let i = 0; i < n; i += 1) x[i]! += t * z[i]!;
      for (const [id, rj] of r) multipliers[id] = Math.max(0, multipliers[id]! - t * rj);
      multipliers[entering]! += t;

      if (t === t2) {
        active.add(entering, p);
        isActive[entering] = 1;
        break;
      }
      const dropped = constraints[leaving] as Constraint;
      active.remove(leaving, dropped);
      isActive[leaving] = 0;
      multipliers[leaving] = 0;
    }
  }
}
