/**
 * A status as text with a shape and a colour, so it reads without colour: ✓ good, ! needs
 * attention, ✕ stopped, ○ neutral or in progress.
 */
const TONE: Readonly<Record<string, 'good' | 'warn' | 'bad' | 'neutral'>> = {
  READY: 'good',
  SUCCEEDED: 'good',
  APPROVED: 'good',
  EXECUTED: 'good',
  EXECUTION_READY: 'good',
  PASS: 'good',
  ready: 'good',
  NOT_REQUIRED: 'neutral',
  PENDING_REVIEW: 'warn',
  RISK_REVIEW: 'warn',
  COMPLIANCE_REVIEW: 'warn',
  AWAITING_CLIENT_CONSENT: 'warn',
  PENDING: 'neutral',
  RUNNING: 'neutral',
  DRAFT: 'neutral',
  SOFT: 'warn',
  BLOCKED: 'bad',
  FAILED: 'bad',
  REJECTED: 'bad',
  FAIL: 'bad',
  CANCELLED: 'neutral',
  EXPIRED: 'neutral',
  not_ready: 'bad',
  // Reproduce reports: the verdict and each part's.
  IDENTICAL: 'good',
  MATCH: 'good',
  DIFFERENT: 'bad',
  MISMATCH: 'bad',
  REQUEST_REJECTED: 'bad',
  NOT_LISTED: 'neutral',
};

const MARK = { good: '✓', warn: '!', bad: '✕', neutral: '○' } as const;

export function toneOf(status: string): keyof typeof MARK {
  return TONE[status] ?? 'neutral';
}

export function StatusBadge({ status }: { status: string }) {
  const tone = toneOf(status);
  return (
    <span class={`badge badge-${tone}`} data-status={status}>
      <span aria-hidden="true">{MARK[tone]} </span>
      {status}
    </span>
  );
}
