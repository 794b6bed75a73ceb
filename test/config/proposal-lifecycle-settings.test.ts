import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.ts';

describe('loadSettings: proposal lifecycle', () => {
  it('defaults as the reference, with the worker on', () => {
    expect(loadSettings({}).settings.proposalLifecycle).toEqual({
      lifecycleEnabled: true,
      supportApisEnabled: true,
      asyncOperationsEnabled: true,
      storeEvidenceBundle: true,
      requireExpectedState: true,
      allowPortfolioChangeOnNewVersion: false,
      requireSimulationFlag: true,
      asyncWorkerEnabled: true,
      asyncPollMs: 500,
      asyncLeaseMs: 30_000,
    });
  });

  it('reads the switches', () => {
    const { settings } = loadSettings({ PROPOSAL_SUPPORT_APIS_ENABLED: 'off', PROPOSAL_ALLOW_PORTFOLIO_CHANGE_ON_NEW_VERSION: 'YES', PROPOSAL_ASYNC_LEASE_MS: '1000' });
    expect(settings.proposalLifecycle).toMatchObject({ supportApisEnabled: false, allowPortfolioChangeOnNewVersion: true, asyncLeaseMs: 1000 });
  });

  it('refuses a value it does not understand instead of silently meaning false (the reference did)', () => {
    const result = loadSettings({ PROPOSAL_WORKFLOW_LIFECYCLE_ENABLED: 'enabled', PROPOSAL_ASYNC_POLL_MS: '0' });
    expect(result.ok).toBe(false);
    expect(result.violations.map((v) => [v.code, v.variable])).toEqual([
      ['CONFIG_FLAG_INVALID', 'PROPOSAL_WORKFLOW_LIFECYCLE_ENABLED'],
      ['CONFIG_INTEGER_INVALID', 'PROPOSAL_ASYNC_POLL_MS'],
    ]);
  });
});
