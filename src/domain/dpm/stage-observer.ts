/**
 * A window on the pipeline's progress (docs/engine.md#pipeline), for tracing: the pipeline names
 * each stage group as it enters it, and a group lasts until the next one is entered or the engine
 * call returns. The observer only watches — nothing it does can change a result — and it is
 * optional; without one the engine runs exactly as before.
 *
 * Marks rather than wrapped callbacks keep the pipeline's early returns as they are, and a
 * sequence of names is plain data: an engine run elsewhere (a worker thread) can record the marks
 * with their times and hand them back.
 */
export const STAGE_GROUPS = [
  /** Request → engine input (decimals parsed). */
  'input',
  /** Market context, valuation, universe. */
  'valuation',
  /** Target method (and the comparison of methods). */
  'targets',
  /** Intents with tax lots, turnover cap, FX funding and execution order. */
  'intents',
  /** The optional settlement ladder. */
  'settlement',
  /** After-state, rules, reconciliation, status and gate. */
  'rules',
  /** Outcome → result JSON. */
  'serialize',
] as const;

export type StageGroup = (typeof STAGE_GROUPS)[number];

export interface StageObserver {
  /** The pipeline starts `group` (the previous group, if any, has ended). */
  enter(group: StageGroup): void;
}
