/**
 * The proposal lifecycle as a diagram: every state, the moves between them (taken from the
 * service's own state machine), the states this proposal has been through shaded and the
 * current one filled and outlined. Cancelling (from any open state) and a new version (back to
 * draft after an approval) are named in the caption rather than drawn, to keep the picture legible.
 */
import { decideTransition, PROPOSAL_STATES, type ProposalEventType, type ProposalState } from '../api/rules.ts';

const W = 168;
const H = 40;

const POSITION: Readonly<Record<ProposalState, readonly [number, number]>> = {
  DRAFT: [10, 120],
  RISK_REVIEW: [210, 40],
  COMPLIANCE_REVIEW: [210, 200],
  AWAITING_CLIENT_CONSENT: [410, 120],
  EXECUTION_READY: [610, 120],
  EXECUTED: [810, 60],
  EXPIRED: [810, 180],
  REJECTED: [410, 250],
  CANCELLED: [610, 250],
};

const DRAWN_EVENTS: readonly ProposalEventType[] = [
  'SUBMITTED_FOR_RISK_REVIEW',
  'SUBMITTED_FOR_COMPLIANCE_REVIEW',
  'RISK_APPROVED',
  'COMPLIANCE_APPROVED',
  'CLIENT_CONSENT_RECORDED',
  'EXECUTED',
  'EXPIRED',
  'REJECTED',
];

/** Every drawn move, asked of the state machine (gate not blocked). */
function moves(): { from: ProposalState; to: ProposalState; event: ProposalEventType }[] {
  return PROPOSAL_STATES.flatMap((from) =>
    DRAWN_EVENTS.flatMap((event) => {
      const decision = decideTransition(from, event, false);
      return decision.ok ? [{ from, to: decision.to, event }] : [];
    }),
  );
}

/** Where the segment from the centre of `a` towards the centre of `b` leaves `a`'s box. */
function boxExit(a: readonly [number, number], b: readonly [number, number]): [number, number] {
  const [ax, ay] = [a[0] + W / 2, a[1] + H / 2];
  const [dx, dy] = [b[0] + W / 2 - ax, b[1] + H / 2 - ay];
  const scale = Math.min(Math.abs(W / 2 / (dx || 1e-9)), Math.abs(H / 2 / (dy || 1e-9)));
  return [ax + dx * scale, ay + dy * scale];
}

const label = (state: string) => state.replace(/_/g, ' ').toLowerCase();

export function LifecycleDiagram({ current, visited }: { current: ProposalState; visited: ReadonlySet<string> }) {
  return (
    <figure class="lifecycle">
      <svg viewBox="0 0 990 300" width="100%" role="img" aria-label={`Proposal lifecycle; the proposal is in ${label(current)}`} data-testid="lifecycle-diagram">
        <defs>
          <marker id="lc-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#8c959f" />
          </marker>
        </defs>
        {moves().map(({ from, to, event }) => {
          const [x1, y1] = boxExit(POSITION[from], POSITION[to]);
          const [x2, y2] = boxExit(POSITION[to], POSITION[from]);
          return (
            <line key={`${from}-${event}`} class="move" x1={x1} y1={y1} x2={x2} y2={y2} marker-end="url(#lc-arrow)">
              <title>{`${label(from)} → ${label(to)} (${event})`}</title>
            </line>
          );
        })}
        {PROPOSAL_STATES.map((state) => {
          const [x, y] = POSITION[state];
          const kind = state === current ? 'current' : visited.has(state) ? 'visited' : '';
          return (
            <g key={state} class={`state ${kind}`} data-state={state} aria-current={state === current ? 'step' : undefined}>
              <rect x={x} y={y} width={W} height={H} rx={8} />
              <text x={x + W / 2} y={y + H / 2 + 4} text-anchor="middle">
                {state === current ? `▶ ${label(state)}` : label(state)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">
        Filled with ▶: the current state; shaded: states this proposal has been through. Any open state can also be cancelled, and a new version sends an
        approved proposal back to draft.
      </figcaption>
    </figure>
  );
}
