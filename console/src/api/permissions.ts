/**
 * The actions the console offers, each behind one permission. The API has no roles yet, so every
 * action is offered and the API stays the judge (a refusal is shown with its code). When the API
 * publishes roles for a token, `can` is the one place that learns to read them; every action
 * button already asks it.
 */
export type Permission =
  | 'run.review'
  | 'run.simulate'
  | 'proposal.create'
  | 'proposal.transition'
  | 'proposal.approve'
  | 'operation.execute';

export function can(_permission: Permission): boolean {
  return true;
}
