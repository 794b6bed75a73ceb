/**
 * Suitability scanner (docs/advisory.md#suitability): every issue type and its NEW / PERSISTENT /
 * RESOLVED class.
 */
import { describe, expect, it } from 'vitest';
import type { ProposalResult } from '../../../src/domain/advisory/index.ts';
import { buy, proposalBody, sell, simulate } from './support.ts';

const neutral = {
  single_position_max_weight: '1',
  issuer_max_weight: '1',
  max_weight_by_liquidity_tier: {},
  cash_band_min_weight: '0',
  cash_band_max_weight: '1',
};
const thresholds = (overrides: Record<string, unknown>) => ({ suitability_thresholds: { ...neutral, ...overrides } });

const issues = (result: ProposalResult): string[] =>
  (result.suitability?.issues ?? []).map((i) => `${i.status_change} ${i.severity} ${i.issue_key}`);

describe('suitability scanner', () => {
  it('classifies single-position breaches as NEW, PERSISTENT and RESOLVED, ordered by status then severity', () => {
    const result = simulate(
      proposalBody({
        cash: { USD: '6800' },
        instruments: [
          { id: 'A', price: '100', held: '12' },
          { id: 'B', price: '100', held: '5' },
          { id: 'D', price: '100', held: '15' },
        ],
        trades: [sell('A', '3'), buy('B', '20')],
        options: thresholds({ single_position_max_weight: '0.10' }),
      }),
    );
    expect(issues(result)).toEqual([
      'NEW HIGH SINGLE_POSITION_MAX|B',
      'PERSISTENT HIGH SINGLE_POSITION_MAX|D',
      'RESOLVED MEDIUM SINGLE_POSITION_MAX|A',
    ]);
    const fresh = result.suitability?.issues[0];
    expect(fresh).toMatchObject({
      issue_id: 'SUIT_SINGLE_POSITION_MAX',
      dimension: 'CONCENTRATION',
      summary: 'Single position B exceeds 10.00% cap.',
      details: { instrument_id: 'B', threshold: '0.10', measured: '0.25' },
      evidence: { as_of: 'md', snapshot_ids: { portfolio_snapshot_id: 'pf_test', market_data_snapshot_id: 'md' } },
    });
    expect(result.suitability?.issues[2]?.details.measured).toBe('0.12');
    expect(result.suitability?.summary).toEqual({
      new_count: 1,
      resolved_count: 1,
      persistent_count: 1,
      highest_severity_new: 'HIGH',
    });
    expect(result.suitability?.recommended_gate).toBe('COMPLIANCE_REVIEW');
  });

  it('sums issuer and liquidity-tier exposure (1.25 × cap separates HIGH from MEDIUM)', () => {
    const result = simulate(
      proposalBody({
        cash: { USD: '7500' },
        instruments: [
          { id: 'A', price: '100', held: '15', issuer: 'I1', tier: 'L5' },
          { id: 'B', price: '100', held: '10', issuer: 'I1', tier: 'L1' },
        ],
        options: thresholds({ issuer_max_weight: '0.20', max_weight_by_liquidity_tier: { L5: '0.05' } }),
      }),
    );
    expect(issues(result)).toEqual(['PERSISTENT HIGH LIQUIDITY_MAX|L5', 'PERSISTENT MEDIUM ISSUER_MAX|I1']);
    const [liquidity, issuer] = result.suitability?.issues ?? [];
    expect(issuer).toMatchObject({
      issue_id: 'SUIT_ISSUER_MAX',
      dimension: 'ISSUER',
      summary: 'Issuer I1 exceeds 20.00% exposure cap.',
      details: { issuer_id: 'I1', threshold: '0.20', measured: '0.25' },
    });
    expect(liquidity).toMatchObject({
      issue_id: 'SUIT_LIQUIDITY_MAX',
      summary: 'Liquidity tier L5 exceeds 5.00% exposure cap.',
      details: { liquidity_tier: 'L5', threshold: '0.05', measured: '0.15' },
    });
  });

  it('reports missing enrichment as data-quality issues at the configured severity', () => {
    const result = simulate(
      proposalBody({
        cash: { USD: '1000' },
        instruments: [
          { id: 'NOSHELF', price: '10', held: '1', status: 'NONE' },
          { id: 'BARE', price: '10', issuer: null, tier: null },
        ],
        trades: [buy('BARE', '1')],
        options: thresholds({ data_quality_issue_severity: 'LOW' }),
      }),
    );
    expect(issues(result)).toEqual([
      'NEW LOW DQ|MISSING_ISSUER|BARE',
      'NEW LOW DQ|MISSING_LIQUIDITY_TIER|BARE',
      'PERSISTENT LOW DQ|MISSING_SHELF|NOSHELF',
    ]);
    expect(result.suitability?.issues[2]).toMatchObject({
      issue_id: 'SUIT_DATA_QUALITY',
      summary: 'Shelf enrichment missing for NOSHELF.',
      details: { instrument_id: 'NOSHELF', missing_fields: 'shelf_entry' },
    });
    expect(result.suitability?.summary.highest_severity_new).toBe('LOW');
    expect(result.suitability?.recommended_gate).toBe('NONE');
  });

  it('flags BANNED / SUSPENDED holdings, resolving them when sold', () => {
    const result = simulate(
      proposalBody({
        cash: { USD: '800' },
        instruments: [
          { id: 'BAN', price: '10', held: '10', status: 'BANNED' },
          { id: 'SUS', price: '10', held: '10', status: 'SUSPENDED' },
        ],
        trades: [sell('BAN', '10')],
      }),
    );
    expect(issues(result)).toEqual(['PERSISTENT HIGH GOVERNANCE|SUS|SUSPENDED', 'RESOLVED HIGH GOVERNANCE|BAN|BANNED']);
    expect(result.suitability?.issues[1]).toMatchObject({
      issue_id: 'SUIT_GOVERNANCE_BANNED',
      summary: 'BANNED instrument BAN is present in the portfolio.',
      details: { instrument_id: 'BAN', shelf_status: 'BANNED', measured: '0.1' },
    });
  });

  it('surfaces attempted BUYs of SELL_ONLY (blocked) and RESTRICTED (allowed, MEDIUM) instruments', () => {
    const result = simulate(
      proposalBody({
        cash: { USD: '900' },
        instruments: [
          { id: 'SO', price: '10', held: '10', status: 'SELL_ONLY' },
          { id: 'RS', price: '10', status: 'RESTRICTED' },
        ],
        trades: [buy('SO', '5'), buy('RS', '10')],
        options: { allow_restricted: true, ...thresholds({}) },
      }),
    );
    expect(issues(result)).toEqual(['NEW HIGH GOVERNANCE|SO|SELL_ONLY', 'NEW MEDIUM GOVERNANCE|RS|RESTRICTED']);
    expect(result.suitability?.issues[0]).toMatchObject({
      issue_id: 'SUIT_GOVERNANCE_SELL_ONLY_INCREASE',
      summary: 'Proposal BUY attempts to increase SELL_ONLY instrument SO.',
      details: { instrument_id: 'SO', shelf_status: 'SELL_ONLY', measured_before: '0.1', measured_after: '0.1' },
    });
    expect(result.suitability?.issues[1]).toMatchObject({
      issue_id: 'SUIT_GOVERNANCE_RESTRICTED_INCREASE',
      details: { instrument_id: 'RS', shelf_status: 'RESTRICTED', allow_restricted: 'true', measured_before: '0' },
    });
  });

  it('checks the advisory cash band (default 1–5 %) with its own thresholds', () => {
    const all = simulate(proposalBody({ cash: { USD: '1000' }, instruments: [{ id: 'A', price: '10' }], options: { suitability_thresholds: {} } }));
    expect(issues(all)).toEqual(['PERSISTENT MEDIUM CASH_BAND']);
    expect(all.suitability?.issues[0]).toMatchObject({
      details: { threshold_min: '0.01', threshold_max: '0.05', measured: '1' },
      summary: 'Cash weight is outside advisory suitability band.',
    });
    const invested = simulate(
      proposalBody({
        cash: { USD: '1000' },
        instruments: [{ id: 'A', price: '10' }],
        trades: [buy('A', '97')],
        options: { suitability_thresholds: { single_position_max_weight: '1', issuer_max_weight: '1', max_weight_by_liquidity_tier: {} } },
      }),
    );
    expect(issues(invested)).toEqual(['RESOLVED MEDIUM CASH_BAND']);
  });

  it('is null when the scanner is disabled', () => {
    expect(simulate(proposalBody({ cash: { USD: '1' }, options: { enable_suitability_scanner: false } })).suitability).toBeNull();
  });
});
