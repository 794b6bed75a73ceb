/**
 * A rebalance request shaped like the large conformance vectors, generated from a fixed seed:
 * `size` instruments on the shelf in five currencies, ~70 % held, ~60 % in the model, a group cap,
 * a turnover cap and dust suppression. Used by `npm run bench:engine` (the 10,000-position case)
 * and by the result-text test, so both exercise the same realistic arithmetic.
 */

/** Deterministic pseudo-random numbers (mulberry32), so the generated case never changes. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A request shaped like the large vectors, with `size` instruments on the shelf. */
export function generatedRequest(size: number, seed = 20260218): unknown {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const currencies = ['SGD', 'SGD', 'USD', 'EUR', 'GBP', 'JPY', 'CHF'];
  const statuses = ['APPROVED', 'APPROVED', 'APPROVED', 'APPROVED', 'APPROVED', 'SELL_ONLY', 'RESTRICTED', 'SUSPENDED', 'BANNED'];
  const ids = Array.from({ length: size }, (_, i) => `INS_${String(i).padStart(6, '0')}`);
  const held = ids.filter(() => random() < 0.7);
  const modelled = ids.filter(() => random() < 0.6);
  const modelWeight = 0.97 / modelled.length;
  return {
    portfolio_snapshot: {
      portfolio_id: `pf_generated_${size}`,
      base_currency: 'SGD',
      positions: held.map((id) => ({ instrument_id: id, quantity: String(1 + Math.floor(random() * 2000)) })),
      cash_balances: [
        { currency: 'SGD', amount: (random() * 1e6).toFixed(2) },
        { currency: 'USD', amount: (random() * 5e5).toFixed(2) },
      ],
    },
    market_data_snapshot: {
      prices: ids.map((id) => ({ instrument_id: id, price: (1 + random() * 500).toFixed(2), currency: pick(currencies) })),
      fx_rates: [
        { pair: 'USD/SGD', rate: '1.3412' },
        { pair: 'EUR/SGD', rate: '1.4567' },
        { pair: 'GBP/SGD', rate: '1.7011' },
        { pair: 'JPY/SGD', rate: '0.008913' },
        { pair: 'CHF/SGD', rate: '1.5234' },
      ],
    },
    model_portfolio: {
      targets: modelled.map((id) => ({ instrument_id: id, weight: (modelWeight * (0.5 + random())).toFixed(6) })),
    },
    shelf_entries: ids.map((id, i) => ({
      instrument_id: id,
      status: pick(statuses),
      asset_class: pick(['EQUITY', 'FIXED_INCOME', 'FUND']),
      attributes: { sector: pick(['TECH', 'UTIL', 'HEALTH', 'FIN', 'ENERGY']) },
      settlement_days: i % 4,
    })),
    options: {
      single_position_max_weight: '0.05',
      group_constraints: { 'sector:TECH': { max_weight: '0.25' } },
      min_trade_notional: { amount: '200', currency: 'SGD' },
      max_turnover_pct: '0.6',
      cash_band_min_weight: '0.0',
      cash_band_max_weight: '0.1',
    },
  };
}

