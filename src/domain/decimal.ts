/**
 * The one decimal type of the domain: decimal.js cloned with the reference engine's context
 * (Python `decimal` default: 28 significant digits, ROUND_HALF_EVEN). A private clone keeps the
 * global decimal.js settings (HALF_UP, 20 digits) away from every money, quantity, weight and rate.
 */
import { Decimal as DecimalJs } from 'decimal.js';

export const Decimal = DecimalJs.clone({
  precision: 28,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  // Plain notation from toString() as far as the exponent range goes; output uses toFixed() anyway.
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Decimal = DecimalJs;

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);

/**
 * Python raises on division by zero (`DivisionByZero`, or `InvalidOperation` for 0/0) where
 * decimal.js silently returns Infinity/NaN. The engine must fail loudly instead of emitting
 * Infinity, so every division in the domain goes through here. `name` is the Python class name,
 * which the batch endpoint reports as `SCENARIO_EXECUTION_ERROR: <name>`.
 */
export class DecimalArithmeticError extends Error {
  constructor(name: 'DivisionByZero' | 'InvalidOperation', message: string) {
    super(message);
    this.name = name;
  }
}

export function divide(dividend: Decimal, divisor: Decimal): Decimal {
  if (divisor.isZero()) {
    throw dividend.isZero()
      ? new DecimalArithmeticError('InvalidOperation', 'undefined division 0/0')
      : new DecimalArithmeticError('DivisionByZero', 'division by zero');
  }
  return dividend.isZero() ? dividend.div(divisor) : quotient(dividend, divisor);
}

// ── Division kernel ──────────────────────────────────────────────────────────────────────
// decimal.js divides by schoolbook long division in base 1e7 (~3 µs for 28 digits), and the
// engine divides a few times per position (weights, quantities, scores). The correctly rounded
// quotient is unique, so it is computed here on BigInt coefficients (2–3× faster) and returned
// as a normal Decimal. Only decimal.js's documented representation is used: `d` (base-1e7
// words, most significant first, no trailing zero words), `e` (exponent of the leading digit)
// and `s` (sign). A property test checks the kernel against decimal.js's own `div`.

const PRECISION = 28;
const LOG_BASE = 7;
const WORD = 10_000_000;
const TWO_WORDS = 100_000_000_000_000n;
const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 64; i += 1, p *= 10n) POW10.push(p);

/** 10^n; inputs are not limited in length, so beyond the table it is computed. */
function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

function wordDigits(word: number): number {
  let digits = 1;
  for (let w = word; w >= 10; w /= 10) digits += 1;
  return digits;
}

/** value = coefficient × 10^exponent, with `digits` the coefficient's digit count. */
function coefficientOf(x: Decimal): { coefficient: bigint; exponent: number; digits: number } {
  const words = x.d;
  const n = words.length;
  let i = n % 2;
  let coefficient = i === 1 ? BigInt(words[0] as number) : 0n;
  for (; i < n; i += 2) {
    coefficient = coefficient * TWO_WORDS + BigInt((words[i] as number) * WORD + (words[i + 1] as number));
  }
  const digits = wordDigits(words[0] as number) + LOG_BASE * (n - 1);
  return { coefficient, exponent: x.e + 1 - digits, digits };
}

/** A Decimal with value sign × coefficient × 10^exponent (coefficient > 0, at most 29 digits). */
function fromCoefficient(negative: boolean, coefficient: bigint, digits: number, exponent: number): Decimal {
  const leadingExponent = exponent + digits - 1;
  const firstWordDigits = (((leadingExponent + 1) % LOG_BASE) + LOG_BASE) % LOG_BASE || LOG_BASE;
  const wordCount = 1 + Math.ceil((digits - firstWordDigits) / LOG_BASE);
  // Right-pad so the digits split exactly into words aligned on the decimal point.
  const aligned = coefficient * pow10(firstWordDigits + LOG_BASE * (wordCount - 1) - digits);
  const low = Number(aligned % TWO_WORDS);
  const rest = aligned / TWO_WORDS;
  const middle = Number(rest % TWO_WORDS);
  const high = Number(rest / TWO_WORDS);
  // `| 0` keeps the words small integers, the element kind decimal.js's own arrays have.
  const all = [high | 0, Math.floor(middle / WORD) | 0, middle % WORD | 0, Math.floor(low / WORD) | 0, low % WORD | 0];
  const words = all.slice(all.length - wordCount);
  while (words.length > 1 && words[words.length - 1] === 0) words.pop();
  const result = new Decimal(0) as unknown as { s: number; e: number; d: number[] };
  result.s = negative ? -1 : 1;
  result.e = leadingExponent;
  result.d = words;
  return result as unknown as Decimal;
}

/** dividend / divisor rounded to 28 significant digits, half-even (both non-zero, finite). */
function quotient(dividend: Decimal, divisor: Decimal): Decimal {
  const a = coefficientOf(dividend);
  const b = coefficientOf(divisor);
  // Scale so the integer quotient has at least 29 digits: 28 kept plus a rounding digit.
  const scale = Math.max(0, PRECISION + 1 - (a.digits - b.digits));
  const numerator = a.coefficient * pow10(scale);
  const q = numerator / b.coefficient;
  const minDigits = a.digits + scale - b.digits;
  const qDigits = q >= pow10(minDigits) ? minDigits + 1 : minDigits;
  const drop = qDigits - PRECISION;
  const unit = pow10(drop);
  let kept = q / unit;
  const twiceRest = (q - kept * unit) * 2n;
  // At exactly half, a remainder left by the integer division means "more than half" (up);
  // a true tie goes to the even neighbour.
  if (twiceRest > unit || (twiceRest === unit && (q * b.coefficient !== numerator || (kept & 1n) === 1n))) {
    kept += 1n;
  }
  const keptDigits = kept === pow10(PRECISION) ? PRECISION + 1 : PRECISION;
  return fromCoefficient(dividend.s !== divisor.s, kept, keptDigits, a.exponent - b.exponent - scale + drop);
}

/** x > 0, without the copy of the argument every decimal.js comparison makes. */
export function isPositive(x: Decimal): boolean {
  return x.s > 0 && !x.isZero();
}

/** x < 0, without the copy of the argument every decimal.js comparison makes. */
export function isNegative(x: Decimal): boolean {
  return x.s < 0 && !x.isZero();
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

export function maxOf(a: Decimal, b: Decimal): Decimal {
  return a.gte(b) ? a : b;
}

export function minOf(a: Decimal, b: Decimal): Decimal {
  return a.lte(b) ? a : b;
}

/** Python `quantize(Decimal('0.0001'))` under the half-even context (4 dp weights). */
export function quantize(value: Decimal, places: number): Decimal {
  return value.toDecimalPlaces(places, DecimalJs.ROUND_HALF_EVEN);
}

/** Output text: plain notation, never exponents (numerically equal to Python's `str(Decimal)`). */
export function formatDecimal(value: Decimal): string {
  return value.toFixed();
}

/** Output text with exactly `places` decimals, half-even (PositionSummary / AllocationMetric weights). */
export function formatFixed(value: Decimal, places: number): string {
  return value.toFixed(places, DecimalJs.ROUND_HALF_EVEN);
}

// ── Input text ─────────────────────────────────────────────────────────────────────────────
// The request hash is taken over the request as the reference re-dumps it: each decimal as
// Python `str(Decimal(input))`, which keeps trailing zeros and chooses exponent notation by
// Python's rules ("1e3" → "1E+3", " 1.5 " → "1.5", "10000.00" stays). decimal.js forgets
// trailing zeros, so the text form is computed here from the coefficient and exponent.

export type DecimalTextResult =
  | { ok: true; text: string }
  | { ok: false; code: 'decimal_type' | 'decimal_parsing' | 'finite_number'; message: string };

const DECIMAL_SYNTAX = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const NON_FINITE_SYNTAX = /^[+-]?(?:inf|infinity|s?nan\d*)$/i;

/** Python's to-scientific-string for a sign, coefficient digits and exponent. */
function pythonDecimalText(negative: boolean, rawDigits: string, exponent: number): string {
  const digits = rawDigits.replace(/^0+(?=\d)/, '');
  const adjusted = exponent + digits.length - 1;
  let body: string;
  if (exponent <= 0 && adjusted >= -6) {
    if (exponent === 0) body = digits;
    else if (digits.length > -exponent) {
      body = `${digits.slice(0, digits.length + exponent)}.${digits.slice(digits.length + exponent)}`;
    } else body = `0.${'0'.repeat(-exponent - digits.length)}${digits}`;
  } else {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${mantissa}E${adjusted >= 0 ? '+' : '-'}${Math.abs(adjusted)}`;
  }
  return negative ? `-${body}` : body;
}

function textFromString(input: string): DecimalTextResult {
  const trimmed = input.trim();
  const match = DECIMAL_SYNTAX.exec(trimmed);
  if (match === null) {
    return NON_FINITE_SYNTAX.test(trimmed)
      ? { ok: false, code: 'finite_number', message: 'Input should be a finite number' }
      : { ok: false, code: 'decimal_parsing', message: 'Input should be a valid decimal' };
  }
  const [, sign, intPart, fracPart, bareFraction, exp] = match;
  const fraction = bareFraction ?? fracPart ?? '';
  const exponent = Number(exp ?? '0') - fraction.length;
  return { ok: true, text: pythonDecimalText(sign === '-', `${intPart ?? ''}${fraction}`, exponent) };
}

/**
 * JSON numbers: integers as Python ints; other numbers through their shortest round-trip
 * digits, which is what Python's `Decimal(repr(float))` sees.
 */
function textFromNumber(input: number): DecimalTextResult {
  if (!Number.isFinite(input)) {
    return { ok: false, code: 'finite_number', message: 'Input should be a finite number' };
  }
  if (Number.isInteger(input)) return { ok: true, text: BigInt(input).toString() };
  const [mantissa = '', exp = '0'] = input.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/[-.]/g, '');
  return { ok: true, text: pythonDecimalText(negative, digits, Number(exp) - (digits.length - 1)) };
}

/** Accepts what the reference accepts for a decimal field (string, integer, float; not bool). */
export function decimalText(input: unknown): DecimalTextResult {
  if (typeof input === 'string') return textFromString(input);
  if (typeof input === 'number') return textFromNumber(input);
  return {
    ok: false,
    code: 'decimal_type',
    message: 'Decimal input should be an integer, float, string or Decimal object',
  };
}
