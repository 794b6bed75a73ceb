/** What every advisory stage may add to: the run's diagnostics and its refused inputs. */
import type { Diagnostics } from '../../portfolio/model.ts';

export interface RunState {
  readonly diagnostics: Diagnostics;
  /** Hard-failure reason codes (PROPOSAL_INPUT_GUARDS), in order. */
  readonly hard: string[];
}
