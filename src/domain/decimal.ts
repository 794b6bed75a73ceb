/**
 * The one decimal type of the domain, with the reference engine's arithmetic (Python `decimal`,
 * default context: 28 significant digits, ROUND_HALF_EVEN): every amount, quantity, price, rate
 * and weight. A value is an integer coefficient × 10^exponent, as in Python; each operation
 * computes the exact result and rounds it once. Why and how: docs/engine.md ("Numbers").
 */

// ── Representation ─────────────────────────────────────────────────────────────────────────
// value = c × 10^e. The coefficient is a JS number when |c| ≤ 2^53 − 1 (every such integer is
// exact in a double, and negative zero is the number -0) and a BigInt beyond; never a BigInt in
// that range, so "both are numbers" is the test for the fast paths below. Like Python, the
// exponent is kept as computed ("1.50" × "2" = "3.00"); text output drops what it must.

const PRECISION = 28;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);
/** Coefficients at or above this have more than 28 digits and are rounded. */
const PRECISION_LIMIT = 10n ** BigInt(PRECISION);

/** 10^0 … 10^22: exactly representable doubles. */
const POW10_NUMBER: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** SCALE_LIMIT[k]: the largest |c| for which c × 10^k is still a safe integer (k ≤ 15). */
const SCALE_LIMIT: readonly number[] = POW10_NUMBER.slice(0, 16).map((p) => Math.floor(MAX_SAFE / p));
const POW10_TABLE_SIZE = 80;
const POW10_BIG: readonly bigint[] = Array.from({ length: POW10_TABLE_SIZE + 1 }, (_, i) => 10n ** BigInt(i));

function pow10(n: number): bigint {
  return POW10_BIG[n] ?? 10n ** BigInt(n);
}

/** Digits of a positive safe integer. */
function numberDigits(m: number): number {
  let digits = 1;
  while (digits < 16 && m >= (POW10_NUMBER[digits] as number)) digits += 1;
  return digits;
}

/** Digits of a positive BigInt: a binary search over the powers of ten. */
function bigDigits(m: bigint): number {
  if (m >= (POW10_BIG[POW10_TABLE_SIZE] as bigint)) return m.toString().length;
  let low = 0; // 10^low ≤ m
  let high = POW10_TABLE_SIZE; // m < 10^high
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (m < (POW10_BIG[middle] as bigint)) high = middle;
    else low = middle;
  }
  return high;
}

type Coefficient = number | bigint;

const digitsOf = (c: Coefficient): number =>
  typeof c === 'number' ? numberDigits(Math.abs(c)) : bigDigits(c < 0n ? -c : c);

/** -1, 0 or 1 (zero of either sign is 0). */
const signOf = (c: Coefficient): number => (c > 0 ? 1 : c < 0 ? -1 : 0);

/** The sign bit: true for negative values and for negative zero. */
const signBit = (c: Coefficient): boolean => c < 0 || Object.is(c, -0);

export type Rounding = 'HALF_EVEN' | 'CEILING' | 'DOWN';

/**
 * Does a magnitude, cut down to `kept`, move one unit away from zero? `rest` is the sign of what
 * was cut off (0 or 1), `half` the sign of (cut-off part − half a unit).
 */
function roundsAway(rounding: Rounding, negative: boolean, kept: number | bigint, rest: number, half: number): boolean {
  switch (rounding) {
    case 'HALF_EVEN':
      return half > 0 || (half === 0 && (typeof kept === 'number' ? kept % 2 === 1 : (kept & 1n) === 1n));
    case 'CEILING':
      return !negative && rest > 0;
    case 'DOWN':
      return false;
  }
}

/**
 * Drops the `drop` lowest digits of a magnitude and rounds. `sticky` says non-zero digits were
 * already discarded below these (an inexact quotient): then the cut-off part is never zero and
 * never exactly half.
 */
function roundMagnitude(m: bigint, drop: number, rounding: Rounding, negative: boolean, sticky = false): bigint {
  const unit = pow10(drop);
  const kept = m / unit;
  const twiceRest = (m - kept * unit) * 2n;
  const half = twiceRest > unit ? 1 : twiceRest < unit ? -1 : sticky ? 1 : 0;
  const rest = twiceRest > 0n || sticky ? 1 : 0;
  return roundsAway(rounding, negative, kept, rest, half) ? kept + 1n : kept;
}

/** A canonical coefficient: a number when it is a safe integer. */
function coefficient(c: bigint): Coefficient {
  return c <= MAX_SAFE_BIG && c >= -MAX_SAFE_BIG ? Number(c) : c;
}

class DecimalValue {
  constructor(
    /** Integer coefficient: a number when |c| ≤ 2^53 − 1, else a BigInt. */
    readonly c: Coefficient,
    readonly e: number,
  ) {}

  plus(y: DecimalValue): DecimalValue {
    return add(this.c, this.e, y.c, y.e);
  }

  minus(y: DecimalValue): DecimalValue {
    return add(this.c, this.e, -y.c, y.e);
  }

  times(y: DecimalValue): DecimalValue {
    const a = this.c;
    const b = y.c;
    if (typeof a === 'number' && typeof b === 'number') {
      // Fast path, exact: |a|, |b| < 2^53, and when the exact product is at most 2^53 − 1 the
      // double product is that integer (correctly rounded, and exactly representable). When it
      // is larger, the double product is ≥ 2^53 (rounding is monotonic and 2^53 is a double), so
      // the test fails and the BigInt path runs. ≤ 16 digits never reach the 28-digit rounding.
      // IEEE zero signs are Python's (0 × −5 = −0).
      const product = a * b;
      if (product <= MAX_SAFE && product >= -MAX_SAFE) return new DecimalValue(product, this.e + y.e);
    }
    if (a === 0 || b === 0) return new DecimalValue(signBit(a) !== signBit(b) ? -0 : 0, this.e + y.e);
    return rounded(BigInt(a) * BigInt(b), this.e + y.e, false);
  }

  neg(): DecimalValue {
    return new DecimalValue(-this.c, this.e);
  }

  abs(): DecimalValue {
    return signBit(this.c) ? this.neg() : this;
  }

  /** -1, 0 or 1 by value (Python's `compare`; −0 equals 0, 1.0 equals 1.00). */
  comparedTo(y: DecimalValue): number {
    return compare(this, y);
  }

  eq(y: DecimalValue): boolean {
    return compare(this, y) === 0;
  }

  gt(y: DecimalValue): boolean {
    return compare(this, y) > 0;
  }

  gte(y: DecimalValue): boolean {
    return compare(this, y) >= 0;
  }

  lt(y: DecimalValue): boolean {
    return compare(this, y) < 0;
  }

  lte(y: DecimalValue): boolean {
    return compare(this, y) <= 0;
  }

  isZero(): boolean {
    return this.c === 0;
  }

  /** Rounded toward zero to an integer (Python `to_integral_value(ROUND_DOWN)`). */
  trunc(): DecimalValue {
    return this.e >= 0 ? this : quantize(this, 0, 'DOWN');
  }

  /** The nearest double (JavaScript's own correctly rounded reading of the decimal text). */
  toNumber(): number {
    const { c, e } = this;
    // Exact operands and one correctly rounded IEEE operation: the classic fast path for
    // |c| < 2^53 and 10^|e| ≤ 10^22 (both exact doubles).
    if (c === 0) return c; // a number, ±0
    if (typeof c === 'number' && e >= -22 && e <= 22) return e >= 0 ? c * (POW10_NUMBER[e] as number) : c / (POW10_NUMBER[-e] as number);
    return Number(`${c}e${e}`);
  }

  /** Python's `str(Decimal)`: plain notation while the exponent allows, else `1.5E+7` (keeps trailing zeros). */
  toString(): string {
    const { c } = this;
    const magnitude = typeof c === 'number' ? String(Math.abs(c)) : (c < 0n ? -c : c).toString();
    return scientificText(signBit(c), magnitude, this.e);
  }
}

/** The domain's decimal type (create values with `Decimal.from`). */
export type Decimal = DecimalValue;

/** The sum of a × 10^ea and b × 10^eb, rounded once (Python `__add__`). */
function add(a: Coefficient, ea: number, b: Coefficient, eb: number): DecimalValue {
  if (typeof a === 'number' && typeof b === 'number') {
    // Fast path, exact: the aligned operands are safe integers (the scaling is checked against
    // SCALE_LIMIT), and a double sum of two safe integers is exact whenever the exact sum is
    // at most 2^53 − 1; a larger exact sum gives a double ≥ 2^53, which the test rejects. A safe
    // integer has at most 16 digits, so the 28-digit rounding never applies. IEEE zero signs
    // are Python's: x + (−x) = 0, (−0) + (−0) = −0.
    let sum = Number.NaN;
    let exponent = ea;
    if (ea === eb) sum = a + b;
    else if (ea > eb) {
      const k = ea - eb;
      if (k < 16 && Math.abs(a) <= (SCALE_LIMIT[k] as number)) sum = a * (POW10_NUMBER[k] as number) + b;
      exponent = eb;
    } else {
      const k = eb - ea;
      if (k < 16 && Math.abs(b) <= (SCALE_LIMIT[k] as number)) sum = a + b * (POW10_NUMBER[k] as number);
    }
    if (sum <= MAX_SAFE && sum >= -MAX_SAFE) return new DecimalValue(sum, exponent);
  }
  return addExactly(a, ea, b, eb);
}

/** Python's addition on arbitrary coefficients, including its shortcuts for zeros and far-apart exponents. */
function addExactly(a: Coefficient, ea: number, b: Coefficient, eb: number): DecimalValue {
  const exponent = Math.min(ea, eb);
  if (a === 0 && b === 0) return new DecimalValue(signBit(a) && signBit(b) ? -0 : 0, exponent);
  // 0 + x is x at the smaller exponent, but never more than 29 digits below x's own.
  if (a === 0) return rescaled(b, eb, Math.max(exponent, eb - PRECISION - 1));
  if (b === 0) return rescaled(a, ea, Math.max(exponent, ea - PRECISION - 1));
  const aIsHigh = ea >= eb;
  const hi = aIsHigh ? a : b;
  const hiExponent = aIsHigh ? ea : eb;
  let lo = aIsHigh ? b : a;
  let loExponent = aIsHigh ? eb : ea;
  // An operand entirely below the rounding position only matters as a "sticky" unit there
  // (Python's `_normalize`): this keeps far-apart exponents from building huge coefficients.
  const floor = hiExponent + Math.min(-1, digitsOf(hi) - PRECISION - 2);
  if (digitsOf(lo) + loExponent - 1 < floor) {
    lo = lo < 0 ? -1 : 1;
    loExponent = floor;
  }
  const total = BigInt(hi) * pow10(hiExponent - loExponent) + BigInt(lo);
  return total === 0n ? new DecimalValue(0, loExponent) : rounded(total, loExponent, false);
}

/** c × 10^e written at the smaller exponent `to` (exact), then rounded to 28 digits. */
function rescaled(c: Coefficient, e: number, to: number): DecimalValue {
  return rounded(BigInt(c) * pow10(e - to), to, false);
}

/**
 * A coefficient rounded to 28 significant digits, half-even (Python's `_fix`). `sticky` (an
 * inexact quotient) only comes with at least 29 digits, so it always meets a rounding.
 */
function rounded(c: bigint, e: number, sticky: boolean): DecimalValue {
  const negative = c < 0n;
  const magnitude = negative ? -c : c;
  if (magnitude < PRECISION_LIMIT) return new DecimalValue(coefficient(c), e);
  const drop = bigDigits(magnitude) - PRECISION;
  let kept = roundMagnitude(magnitude, drop, 'HALF_EVEN', negative, sticky);
  let exponent = e + drop;
  if (kept === PRECISION_LIMIT) {
    // 99…9 rounded up to 10^28 has 29 digits: Python keeps 28 and raises the exponent.
    kept /= 10n;
    exponent += 1;
  }
  return new DecimalValue(negative ? -kept : kept, exponent);
}

function compare(x: DecimalValue, y: DecimalValue): number {
  const a = x.c;
  const b = y.c;
  const sa = signOf(a);
  const sb = signOf(b);
  if (sa !== sb) return sa > sb ? 1 : -1;
  if (sa === 0) return 0;
  // Same exponent: the coefficients decide (a number and a BigInt compare exactly in JS).
  if (x.e === y.e) return a > b ? 1 : a < b ? -1 : 0;
  if (typeof a === 'number' && typeof b === 'number') {
    // Both aligned to the smaller exponent, when that stays a safe (exact) integer.
    const k = x.e - y.e;
    if (k > 0 && k < 16 && Math.abs(a) <= (SCALE_LIMIT[k] as number)) {
      const scaled = a * (POW10_NUMBER[k] as number);
      return scaled > b ? 1 : scaled < b ? -1 : 0;
    }
    if (k < 0 && k > -16 && Math.abs(b) <= (SCALE_LIMIT[-k] as number)) {
      const scaled = b * (POW10_NUMBER[-k] as number);
      return a > scaled ? 1 : a < scaled ? -1 : 0;
    }
  }
  // The position of the leading digit decides unless it is the same; then the exponents differ
  // by at most the coefficients' lengths, and aligning them is cheap.
  const adjustedX = x.e + digitsOf(a) - 1;
  const adjustedY = y.e + digitsOf(b) - 1;
  if (adjustedX !== adjustedY) return adjustedX > adjustedY ? sa : -sa;
  const low = Math.min(x.e, y.e);
  const alignedA = BigInt(a) * pow10(x.e - low);
  const alignedB = BigInt(b) * pow10(y.e - low);
  return alignedA > alignedB ? 1 : alignedA < alignedB ? -1 : 0;
}

/**
 * Rounds to exactly `places` decimals (Python `quantize(Decimal(10) ** -places, rounding)`; no
 * precision limit applies, as with decimal.js's `toDecimalPlaces`). The sign of a value that
 * rounds to zero is kept (−0.00001 → −0.0000), as in Python.
 */
export function quantize(value: Decimal, places: number, rounding: Rounding = 'HALF_EVEN'): Decimal {
  const { c, e } = value;
  const target = -places;
  if (e === target) return value;
  if (e > target) {
    // More digits at a lower exponent: exact.
    const k = e - target;
    if (c === 0) return new DecimalValue(c, target);
    if (typeof c === 'number' && k < 16 && Math.abs(c) <= (SCALE_LIMIT[k] as number)) {
      return new DecimalValue(c * (POW10_NUMBER[k] as number), target);
    }
    return new DecimalValue(coefficient(BigInt(c) * pow10(k)), target);
  }
  const drop = target - e;
  const negative = signBit(c);
  if (typeof c === 'number' && drop < 16) {
    // Exact in doubles: `%` of two safe integers is exact, and (m − rest) / unit divides exactly.
    const m = Math.abs(c);
    const unit = POW10_NUMBER[drop] as number;
    const rest = m % unit;
    const kept = (m - rest) / unit;
    const half = rest * 2 > unit ? 1 : rest * 2 < unit ? -1 : 0;
    const result = roundsAway(rounding, negative, kept, rest > 0 ? 1 : 0, half) ? kept + 1 : kept;
    return new DecimalValue(negative ? -result : result, target);
  }
  const m = typeof c === 'number' ? BigInt(Math.abs(c)) : c < 0n ? -c : c;
  const kept = roundMagnitude(m, drop, rounding, negative);
  return new DecimalValue(kept === 0n ? (negative ? -0 : 0) : coefficient(negative ? -kept : kept), target);
}

// ── Division ───────────────────────────────────────────────────────────────────────────────

/**
 * Python raises on division by zero (`DivisionByZero`, or `InvalidOperation` for 0/0). The
 * engine must fail loudly instead of emitting Infinity, so every division in the domain goes
 * through here. `name` is the Python class name, which the batch endpoint reports as
 * `SCENARIO_EXECUTION_ERROR: <name>`.
 */
export class DecimalArithmeticError extends Error {
  constructor(name: 'DivisionByZero' | 'InvalidOperation', message: string) {
    super(message);
    this.name = name;
  }
}

/** dividend / divisor, correctly rounded to 28 digits half-even (Python `__truediv__`). */
export function divide(dividend: Decimal, divisor: Decimal): Decimal {
  const a = dividend.c;
  const b = divisor.c;
  if (b === 0) {
    throw a === 0
      ? new DecimalArithmeticError('InvalidOperation', 'undefined division 0/0')
      : new DecimalArithmeticError('DivisionByZero', 'division by zero');
  }
  const ideal = dividend.e - divisor.e;
  const negative = signBit(a) !== signBit(b);
  if (a === 0) return new DecimalValue(negative ? -0 : 0, ideal);
  if (typeof a === 'number' && typeof b === 'number' && a % b === 0) {
    // Fast path, exact: b divides a, so the quotient is an integer of at most 16 digits, and the
    // double division of two exact doubles is correctly rounded, hence exactly that integer.
    // Python returns an exact quotient at the ideal exponent when it can: it can here.
    return new DecimalValue(a / b, ideal);
  }
  const m = typeof a === 'number' ? BigInt(Math.abs(a)) : a < 0n ? -a : a;
  const n = typeof b === 'number' ? BigInt(Math.abs(b)) : b < 0n ? -b : b;
  // An integer quotient of 29 or 30 digits: 28 kept, one to round on, and whether any remainder
  // was left (the sticky bit: an inexact quotient is never a tie).
  const shift = digitsOf(b) - digitsOf(a) + PRECISION + 1;
  let exponent = ideal - shift;
  const numerator = shift >= 0 ? m * pow10(shift) : m;
  const denominator = shift >= 0 ? n : n * pow10(-shift);
  let quotient = numerator / denominator;
  const exact = quotient * denominator === numerator;
  if (exact) {
    // An exact quotient keeps as few trailing zeros as the ideal exponent allows (1/4 = 0.25).
    const text = quotient.toString();
    let zeros = 0;
    while (zeros < ideal - exponent && text.charCodeAt(text.length - 1 - zeros) === 48) zeros += 1;
    if (zeros > 0) {
      quotient /= pow10(zeros);
      exponent += zeros;
    }
  }
  return rounded(negative ? -quotient : quotient, exponent, !exact);
}

// ── Helpers ────────────────────────────────────────────────────────────────────────────────

/** x > 0. */
export function isPositive(x: Decimal): boolean {
  return x.c > 0;
}

/** x < 0 (negative zero is not). */
export function isNegative(x: Decimal): boolean {
  return x.c < 0;
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

export function maxOf(a: Decimal, b: Decimal): Decimal {
  return compare(a, b) >= 0 ? a : b;
}

export function minOf(a: Decimal, b: Decimal): Decimal {
  return compare(a, b) <= 0 ? a : b;
}

// ── Text ───────────────────────────────────────────────────────────────────────────────────

/** Python's to-scientific-string for a sign, coefficient digits (no leading zeros) and exponent. */
function scientificText(negative: boolean, digits: string, exponent: number): string {
  const adjusted = exponent + digits.length - 1;
  let body: string;
  if (exponent <= 0 && adjusted >= -6) body = plainText(digits, exponent);
  else {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${mantissa}E${adjusted >= 0 ? '+' : '-'}${Math.abs(adjusted)}`;
  }
  return negative ? `-${body}` : body;
}

/** digits × 10^exponent in plain notation, with exactly max(0, −exponent) decimals. */
function plainText(digits: string, exponent: number): string {
  if (exponent >= 0) return exponent === 0 || digits === '0' ? digits : digits + '0'.repeat(exponent);
  const point = digits.length + exponent;
  if (point > 0) return `${digits.slice(0, point)}.${digits.slice(point)}`;
  return `0.${'0'.repeat(-point)}${digits}`;
}

/**
 * Output text: plain notation, never an exponent, no trailing zeros ("3737" for 3737.000, "0"
 * for any zero) — numerically equal to Python's `str(Decimal)` (docs/engine.md, divergence 1).
 */
export function formatDecimal(value: Decimal): string {
  const c = value.c;
  let e = value.e;
  if (c === 0) return '0';
  let digits: string;
  if (typeof c === 'number') {
    // Trailing zeros go while still a number: division by 10 of a multiple of 10 is exact.
    let m = Math.abs(c);
    while (m % 10 === 0) {
      m /= 10;
      e += 1;
    }
    digits = String(m);
  } else {
    digits = (c < 0n ? -c : c).toString();
    let end = digits.length;
    while (digits.charCodeAt(end - 1) === 48) end -= 1;
    e += digits.length - end;
    digits = digits.slice(0, end);
  }
  const text = plainText(digits, e);
  return c < 0 ? `-${text}` : text;
}

/**
 * Output text with exactly `places` decimals, half-even (PositionSummary / AllocationMetric
 * weights). A negative value that rounds to zero keeps its sign ("-0.0000"), as decimal.js and
 * Python print it.
 */
export function formatFixed(value: Decimal, places: number): string {
  const { c } = quantize(value, places);
  let digits = typeof c === 'number' ? String(Math.abs(c)) : (c < 0n ? -c : c).toString();
  if (digits.length <= places) digits = '0'.repeat(places + 1 - digits.length) + digits;
  const text = places === 0 ? digits : `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
  return value.c < 0 ? `-${text}` : text;
}

// ── Input ──────────────────────────────────────────────────────────────────────────────────

const DECIMAL_SYNTAX = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/** The decimal a text denotes exactly, or null when it is not decimal text (or its exponent is beyond 2^53). */
function parse(text: string): Decimal | null {
  const match = DECIMAL_SYNTAX.exec(text);
  if (match === null) return null;
  const [, sign, intPart = '', fracPart, bareFraction, exponentText] = match;
  const fraction = bareFraction ?? fracPart ?? '';
  const exponent = (exponentText === undefined ? 0 : Number(exponentText)) - fraction.length;
  if (!Number.isSafeInteger(exponent)) return null;
  const digits = intPart + fraction;
  // ≤ 15 digits are always a safe integer; longer ones go through BigInt and back if they fit.
  const c = digits.length <= 15 ? Number(digits) : coefficient(BigInt(digits));
  return new DecimalValue(sign === '-' ? -c : c, exponent);
}

/** The decimal a text or number denotes, exactly (Python `Decimal(str)`; a number reads as its shortest text). */
function from(value: string | number): Decimal {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return new DecimalValue(value, 0);
  const parsed = parse(String(value));
  if (parsed === null) throw new DecimalArithmeticError('InvalidOperation', `not a decimal: ${String(value)}`);
  return parsed;
}

export const Decimal = { from } as const;

export const ZERO = Decimal.from(0);
export const ONE = Decimal.from(1);

// ── Input text ─────────────────────────────────────────────────────────────────────────────
// The request hash is taken over the request as the reference re-dumps it: each decimal as
// Python `str(Decimal(input))`, which keeps trailing zeros and chooses exponent notation by
// Python's rules ("1e3" → "1E+3", " 1.5 " → "1.5", "10000.00" stays) — `toString()` of the
// parsed value.

export type DecimalTextResult =
  | { ok: true; text: string }
  | { ok: false; code: 'decimal_type' | 'decimal_parsing' | 'finite_number'; message: string };

const NON_FINITE_SYNTAX = /^[+-]?(?:inf|infinity|s?nan\d*)$/i;

function textFromString(input: string): DecimalTextResult {
  const trimmed = input.trim();
  const parsed = parse(trimmed);
  if (parsed !== null) return { ok: true, text: parsed.toString() };
  return NON_FINITE_SYNTAX.test(trimmed)
    ? { ok: false, code: 'finite_number', message: 'Input should be a finite number' }
    : { ok: false, code: 'decimal_parsing', message: 'Input should be a valid decimal' };
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
  return { ok: true, text: from(input).toString() };
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
