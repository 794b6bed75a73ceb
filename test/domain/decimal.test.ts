/**
 * The domain decimal (src/domain/decimal.ts):
 * - Python's own answers for chosen cases, text included (Python keeps exponents: 1.50 × 2 = 3.00);
 * - properties against decimal.js configured as Python's context (28 digits, half-even), on
 *   generated operands: small and long coefficients, the 2^53 boundary of the fast paths, digit
 *   patterns full of 0, 5 and 9 (ties and carries), negative zero, exponents up to ±4·10^15.
 *   `DECIMAL_PROPERTY_RUNS` operand pairs per property (default 200,000; every pair is checked
 *   with every operation of the property);
 * - Python's text for request decimals.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Decimal,
  DecimalArithmeticError,
  decimalText,
  divide,
  formatDecimal,
  formatFixed,
  quantize,
  type Rounding,
  ZERO,
} from '../../src/domain/decimal.ts';

const Oracle = DecimalJs.clone({
  precision: 28,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
  minE: -9e15,
  maxE: 9e15,
});

const RUNS = Number(process.env.DECIMAL_PROPERTY_RUNS ?? 200_000);
/** Long enough for the default runs on a loaded two-core machine; scaled for larger runs. */
const TIMEOUT_MS = 120_000 * Math.max(1, RUNS / 200_000);
const CHUNK = 20_000;

/**
 * `RUNS` runs of a property, in chunks of fresh random runs with a pause between them, so a long
 * run never blocks the test worker's event loop for minutes.
 */
async function assertRuns<Ts extends [unknown, ...unknown[]]>(property: () => fc.IProperty<Ts>): Promise<void> {
  for (let done = 0; done < RUNS; done += CHUNK) {
    fc.assert(property(), { numRuns: Math.min(CHUNK, RUNS - done) });
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const d = (text: string) => Decimal.from(text);

describe('Python decimal semantics', () => {
  it.each([
    ['plus', '1.10', '2.205', '3.305'],
    ['times', '1.50', '2', '3.00'],
    ['divide', '10', '0.5', '2E+1'],
    ['divide', '1', '4', '0.25'],
    ['divide', '1.00', '4', '0.25'],
    ['divide', '2', '3', '0.6666666666666666666666666667'],
    ['divide', '-7', '0.70', '-1E+1'],
    ['divide', '100', '0.001', '1.00E+5'],
    ['plus', '1E+30', '1', '1.000000000000000000000000000E+30'],
    ['plus', '0.00', '5', '5.00'],
    ['plus', '0E-50', '1', '1.000000000000000000000000000'],
    ['plus', '-0', '0', '0'],
    ['minus', '-0', '0', '-0'],
    ['plus', '5', '-5.0', '0.0'],
    ['plus', '9999999999999999999999999999', '1', '1.000000000000000000000000000E+28'],
    ['minus', '1', '1E-28', '0.9999999999999999999999999999'],
    ['plus', '1E+40', '-1E-40', '1.000000000000000000000000000E+40'],
    ['times', '123456789012345678', '987654321098765432', '1.219326311370217943225118122E+35'],
    ['times', '0.000', '-12.5', '-0.0000'],
    ['times', '1E+5', '2E-3', '2E+2'],
    ['times', '9007199254740991', '3', '27021597764222973'],
    ['plus', '9007199254740991', '1', '9007199254740992'],
    ['divide', '1', '3E+5', '0.000003333333333333333333333333333'],
    ['divide', '-0', '7', '-0'],
    ['divide', '12345678901234567890123456789', '3', '4115226300411522630041152263'],
  ] as const)('%s(%s, %s) = %s', (op, a, b, expected) => {
    const result = op === 'divide' ? divide(d(a), d(b)) : d(a)[op](d(b));
    expect(result.toString()).toBe(expected);
  });

  it.each([
    ['2.5', 0, 'HALF_EVEN', '2'],
    ['3.5', 0, 'HALF_EVEN', '4'],
    ['-2.5', 0, 'HALF_EVEN', '-2'],
    ['0.00005', 4, 'HALF_EVEN', '0.0000'],
    ['0.00015', 4, 'HALF_EVEN', '0.0002'],
    ['5', 2, 'HALF_EVEN', '5.00'],
    ['1.001', 2, 'CEILING', '1.01'],
    ['-1.009', 2, 'CEILING', '-1.00'],
    ['-0.00001', 4, 'HALF_EVEN', '-0.0000'],
    ['-7.9', 0, 'DOWN', '-7'],
  ] as const)('quantize(%s, %i, %s) = %s', (value, places, rounding, expected) => {
    expect(quantize(d(value), places, rounding).toString()).toBe(expected);
  });

  it('refuses division by zero like Python, instead of returning Infinity', () => {
    expect(() => divide(d('1'), d('0'))).toThrow(DecimalArithmeticError);
    expect(() => divide(d('1'), d('-0.00'))).toThrow(expect.objectContaining({ name: 'DivisionByZero' }));
    expect(() => divide(d('0'), d('0'))).toThrow(expect.objectContaining({ name: 'InvalidOperation' }));
  });

  it('prints output text in plain notation without trailing zeros, and fixed text half-even', () => {
    expect(formatDecimal(d('3737.000'))).toBe('3737');
    expect(formatDecimal(d('1E+3'))).toBe('1000');
    expect(formatDecimal(d('-0.00'))).toBe('0');
    expect(formatDecimal(d('-1.2300E-8'))).toBe('-0.0000000123');
    expect(formatFixed(d('0.00005'), 4)).toBe('0.0000');
    expect(formatFixed(d('0.00015'), 4)).toBe('0.0002');
    expect(formatFixed(d('-0.00001'), 4)).toBe('-0.0000');
    expect(formatFixed(d('12'), 4)).toBe('12.0000');
  });
});

// ── Properties against decimal.js ──────────────────────────────────────────────────────────

const digitString = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 999_999 }).map(String) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 16n }).map(String) },
  // Around 2^53, where the fast paths hand over to BigInt.
  { weight: 2, arbitrary: fc.bigInt({ min: 2n ** 53n - 2000n, max: 2n ** 53n + 2000n }).map(String) },
  { weight: 2, arbitrary: fc.bigInt({ min: 10n ** 26n, max: 10n ** 30n }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 60n }).map(String) },
  // Ties and carries: 28-digit rounding of 25, 5000…, 999…
  { weight: 3, arbitrary: fc.array(fc.constantFrom('0', '5', '9', '1', '2', '4'), { minLength: 1, maxLength: 32 }).map((ds) => ds.join('')) },
  { weight: 2, arbitrary: fc.bigInt({ min: 10n ** 27n, max: 10n ** 28n - 1n }).map((c) => `${c}5`) },
);

/** Exponents that keep plain-notation text printable; the extreme ones are checked separately. */
const moderateExponent = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -12, max: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: -45, max: 45 }) },
);
const extremeExponent = fc.oneof(
  moderateExponent,
  fc.integer({ min: -2_000_000, max: 2_000_000 }),
  fc.constantFrom(-4e15, -1e9, 1e9, 4e15),
);

const decimalText_ = (exponent: fc.Arbitrary<number>) =>
  fc.tuple(fc.boolean(), digitString, exponent).map(([negative, digits, e]) => `${negative ? '-' : ''}${digits}e${e}`);

const moderate = decimalText_(moderateExponent);
const anyExponent = decimalText_(extremeExponent);
const places = fc.integer({ min: 0, max: 30 });
const ROUNDINGS: Record<Rounding, DecimalJs.Rounding> = {
  HALF_EVEN: DecimalJs.ROUND_HALF_EVEN,
  CEILING: DecimalJs.ROUND_CEIL,
  DOWN: DecimalJs.ROUND_DOWN,
};

/** The sign bit, negative zero included. */
const signBit = (x: Decimal): boolean => x.lt(ZERO) || Object.is(x.toNumber(), -0);

/**
 * Same value and sign (negative zero included) as the oracle's. `printable`: through the plain
 * output text; otherwise through the Python text, which keeps huge exponents short.
 */
function sameValue(actual: Decimal, expected: DecimalJs, what: string, printable: boolean): void {
  const actualText = printable ? formatDecimal(actual) : actual.toString();
  const same = printable ? actualText === expected.toFixed() : new Oracle(actualText).eq(expected);
  if (!same || signBit(actual) !== expected.isNeg()) {
    throw new Error(`${what}: got ${actual.toString()}, decimal.js says ${expected.toString()}`);
  }
}

function sameText<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, decimal.js says ${String(expected)}`);
}

function checkArithmetic(aText: string, bText: string, printable: boolean): void {
  const a = d(aText);
  const b = d(bText);
  const x = new Oracle(aText);
  const y = new Oracle(bText);
  const cases: [string, Decimal, DecimalJs][] = [
    ['plus', a.plus(b), x.plus(y)],
    ['minus', a.minus(b), x.minus(y)],
    ['times', a.times(b), x.times(y)],
  ];
  if (y.isZero()) {
    const name = x.isZero() ? 'InvalidOperation' : 'DivisionByZero';
    try {
      divide(a, b);
      throw new Error(`${aText} / ${bText} did not throw`);
    } catch (error) {
      if ((error as Error).name !== name) throw error;
    }
  } else cases.push(['divide', divide(a, b), x.div(y)]);
  for (const [op, actual, expected] of cases) sameValue(actual, expected, `${aText} ${op} ${bText}`, printable);
}

function checkComparisons(aText: string, bText: string): void {
  const a = d(aText);
  const b = d(bText);
  const expected = new Oracle(aText).comparedTo(new Oracle(bText));
  const actual = [a.comparedTo(b), a.eq(b) ? 0 : a.lt(b) ? -1 : 1, a.gt(b) ? 1 : a.gte(b) ? 0 : -1, a.lte(b) ? (a.eq(b) ? 0 : -1) : 1];
  if (actual.some((c) => c !== expected)) throw new Error(`compare(${aText}, ${bText}): got ${actual}, decimal.js says ${expected}`);
}

function checkRounding(text: string, decimals: number, rounding: Rounding): void {
  const a = d(text);
  const x = new Oracle(text);
  const rounded = quantize(a, decimals, rounding);
  sameValue(rounded, x.toDecimalPlaces(decimals, ROUNDINGS[rounding]), `quantize(${text}, ${decimals}, ${rounding})`, true);
  sameText(rounded.e, -decimals, `exponent of quantize(${text}, ${decimals})`);
  sameValue(a.trunc(), x.trunc(), `trunc(${text})`, true);
  sameValue(a.abs(), x.abs(), `abs(${text})`, true);
  sameValue(a.neg(), x.neg(), `neg(${text})`, true);
  sameText(formatFixed(a, decimals), x.toFixed(decimals, DecimalJs.ROUND_HALF_EVEN), `formatFixed(${text}, ${decimals})`);
  if (!Object.is(a.toNumber(), x.toNumber())) throw new Error(`toNumber(${text}): got ${a.toNumber()}, decimal.js says ${x.toNumber()}`);
}

/** Plain text as requests carry it: "-12.50", "7.", ".5", "0042". */
const plainText = fc
  .tuple(fc.constantFrom('', '-', '+'), digitString, fc.nat(), fc.boolean())
  .map(([sign, digits, cut, point]) => {
    const at = cut % (digits.length + 1);
    return `${sign}${digits.slice(0, at)}${point ? '.' : ''}${digits.slice(at)}`;
  })
  .filter((text) => /\d/.test(text));

function checkParsing(text: string): void {
  const a = d(text);
  const fraction = text.split('.')[1] ?? '';
  sameText(a.e, -fraction.length, `exponent of ${text}`);
  sameValue(a, new Oracle(text), `Decimal.from(${text})`, true);
}

describe(`decimal against decimal.js as Python's context (${RUNS} operand pairs per property)`, () => {
  it(
    'reads plain decimal text exactly, keeping its exponent',
    () => assertRuns(() => fc.property(plainText, checkParsing)),
    TIMEOUT_MS,
  );

  it(
    'adds, subtracts, multiplies and divides to the same value and text',
    () => assertRuns(() => fc.property(moderate, moderate, (a, b) => checkArithmetic(a, b, true))),
    TIMEOUT_MS,
  );

  it(
    'keeps exact values at extreme exponents (far-apart operands, huge and tiny results)',
    () => assertRuns(() => fc.property(anyExponent, anyExponent, (a, b) => checkArithmetic(a, b, false))),
    TIMEOUT_MS,
  );

  it(
    'compares like decimal.js (−0 equals 0, 1.0 equals 1.00)',
    () => assertRuns(() => fc.property(anyExponent, anyExponent, checkComparisons)),
    TIMEOUT_MS,
  );

  it(
    'rounds to places (half-even, ceiling, down), truncates, prints and converts to a double like decimal.js',
    () => assertRuns(() => fc.property(moderate, places, fc.constantFrom<Rounding>('HALF_EVEN', 'CEILING', 'DOWN'), checkRounding)),
    TIMEOUT_MS,
  );
});

describe('decimal text (Python str(Decimal))', () => {
  it.each([
    ['10000.00', '10000.00'],
    [' 1.5 ', '1.5'],
    ['1e3', '1E+3'],
    ['1E-7', '1E-7'],
    ['0.000001', '0.000001'],
    ['0.0000001', '1E-7'],
    ['0E+2', '0E+2'],
    ['0.00', '0.00'],
    ['-0', '-0'],
    ['007.50', '7.50'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['+12.3e-2', '0.123'],
    ['123.456e5', '1.23456E+7'],
    ['12345678901234567890.123456789012345', '12345678901234567890.123456789012345'],
  ])('%j → %j', (input, expected) => {
    expect(decimalText(input)).toEqual({ ok: true, text: expected });
    expect(Decimal.from(input.trim()).toString()).toBe(expected);
  });

  it('reads JSON numbers as Python does: integers as ints, others by their shortest repr', () => {
    expect(decimalText(5)).toEqual({ ok: true, text: '5' });
    expect(decimalText(1e21)).toEqual({ ok: true, text: '1000000000000000000000' });
    expect(decimalText(0.1)).toEqual({ ok: true, text: '0.1' });
    expect(decimalText(1e-7)).toEqual({ ok: true, text: '1E-7' });
    expect(decimalText(-2.5e-3)).toEqual({ ok: true, text: '-0.0025' });
  });

  it('rejects non-finite values, booleans, junk and unrepresentable exponents with the reference\'s codes', () => {
    expect(decimalText('NaN')).toMatchObject({ ok: false, code: 'finite_number' });
    expect(decimalText('-Infinity')).toMatchObject({ ok: false, code: 'finite_number' });
    expect(decimalText(Number.POSITIVE_INFINITY)).toMatchObject({ ok: false, code: 'finite_number' });
    expect(decimalText(true)).toMatchObject({ ok: false, code: 'decimal_type' });
    expect(decimalText('1,5')).toMatchObject({ ok: false, code: 'decimal_parsing' });
    expect(decimalText('')).toMatchObject({ ok: false, code: 'decimal_parsing' });
    expect(decimalText('1E+99999999999999999999')).toMatchObject({ ok: false, code: 'decimal_parsing' });
    expect(() => Decimal.from('1,5')).toThrow(expect.objectContaining({ name: 'InvalidOperation' }));
  });

  it('refuses inputs whose leading digit lies beyond 10^±100 (decimal_range), whatever their notation', () => {
    for (const accepted of ['1E+100', '9.99E+100', '-1E-100', '0E+100', '0E-100', `1${'0'.repeat(100)}`, 1e100, 1e101, 1e-100]) {
      expect(decimalText(accepted), String(accepted)).toMatchObject({ ok: true });
    }
    for (const refused of ['1E+101', '10E+100', '1E-101', '0.1E-100', '0E+101', '1E+99999999', '-1E-99999999', `1${'0'.repeat(101)}`, `1${'0'.repeat(101)}.5`, 1e102, 1e300, 1e-300]) {
      expect(decimalText(refused), String(refused)).toMatchObject({ ok: false, code: 'decimal_range' });
    }
  });
});
