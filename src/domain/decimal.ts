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
/** Exponent gap beyond which addition replaces the lower operand by a sticky unit. */
const STICKY_GAP = 64;
/** Coefficients at or above this have more than 28 digits and are rounded. */
const PRECISION_LIMIT = 10n ** BigInt(PRECISION);

/** 10^0 … 10^22: exactly representable doubles. */
const POW10_NUMBER: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** SCALE_LIMIT[k]: the largest |c| for which c × 10^k is still a safe integer (k ≤ 15). */
const SCALE_LIMIT: readonly number[] = POW10_NUMBER.slice(0, 16).map((p) => Math.floor(MAX_SAFE / p));
const POW10_TABLE_SIZE = 80;
const POW10_BIG: readonly bigint[] = Array.from({ length: POW10_TABLE_SIZE + 1 }, (_, i) => 10n ** BigInt(i));

/** HALF_UNIT[k] = 10^k / 2 (k ≥ 1). */
const HALF_UNIT: readonly bigint[] = POW10_BIG.map((p) => p / 2n);

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

/** Drops the `drop` (≥ 1) lowest digits of a magnitude and rounds them away by `rounding`. */
function roundMagnitude(m: bigint, drop: number, rounding: Rounding, negative: boolean): bigint {
  const unit = pow10(drop);
  const kept = m / unit;
  const rest = m % unit;
  const half = halfOf(rest, drop);
  return roundsAway(rounding, negative, kept, rest > 0n ? 1 : 0, half) ? kept + 1n : kept;
}

/** Sign of (rest − half of 10^drop), drop ≥ 1. */
function halfOf(rest: bigint, drop: number): number {
  const half = HALF_UNIT[drop] ?? 5n * pow10(drop - 1);
  return rest > half ? 1 : rest < half ? -1 : 0;
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
    return rounded(BigInt(a) * BigInt(b), this.e + y.e);
  }

  /** The sign flipped, zero included (Python `copy_negate`; Python's unary minus gives +0 for any zero). */
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
    if (c === 0) return c; // a number, ±0
    // Exact operands and one correctly rounded IEEE operation: the classic fast path for
    // |c| < 2^53 and 10^|e| ≤ 10^22 (both exact doubles).
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
  // (Python's `_normalize`): the rounded sum is the same, and far-apart exponents do not build
  // huge coefficients. Close exponents are simply added exactly.
  if (hiExponent - loExponent > STICKY_GAP) {
    const floor = hiExponent + Math.min(-1, digitsOf(hi) - PRECISION - 2);
    if (digitsOf(lo) + loExponent - 1 < floor) {
      lo = lo < 0 ? -1 : 1;
      loExponent = floor;
    }
  }
  const total = scaledBig(hi, hiExponent - loExponent) + BigInt(lo);
  return total === 0n ? new DecimalValue(0, loExponent) : rounded(total, loExponent);
}

/** c × 10^e written at the smaller exponent `to` (exact), then rounded to 28 digits. */
function rescaled(c: Coefficient, e: number, to: number): DecimalValue {
  return rounded(BigInt(c) * pow10(e - to), to);
}

/** An exact result rounded to 28 significant digits, half-even (Python's `_fix`). */
function rounded(c: bigint, e: number): DecimalValue {
  if (c < PRECISION_LIMIT && c > -PRECISION_LIMIT) return new DecimalValue(coefficient(c), e);
  const negative = c < 0n;
  const m = negative ? -c : c;
  const drop = bigDigits(m) - PRECISION;
  const unit = pow10(drop);
  return halfEven28(negative, m / unit, halfOf(m % unit, drop), e + drop);
}

/**
 * The 28-digit result: `kept` (28 digits) plus one unit when what was cut off is more than half
 * a unit (`half` > 0), or exactly half (`half` = 0) and `kept` is odd.
 */
function halfEven28(negative: boolean, kept: bigint, half: number, exponent: number): DecimalValue {
  let result = half > 0 || (half === 0 && (kept & 1n) === 1n) ? kept + 1n : kept;
  if (result === PRECISION_LIMIT) {
    // 99…9 rounded up to 10^28 has 29 digits: Python keeps 28 and raises the exponent.
    result = PRECISION_LIMIT / 10n;
    exponent += 1;
  }
  return new DecimalValue(negative ? -result : result, exponent);
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
  // Only the operand with the larger exponent needs scaling (a number and a BigInt compare exactly).
  if (x.e > y.e) {
    const aligned = scaledBig(a, x.e - y.e);
    return aligned > b ? 1 : aligned < b ? -1 : 0;
  }
  const aligned = scaledBig(b, y.e - x.e);
  return a > aligned ? 1 : a < aligned ? -1 : 0;
}

/** c × 10^k as a BigInt, scaled as a number first when that stays exact. */
function scaledBig(c: Coefficient, k: number): bigint {
  if (typeof c === 'number') {
    return k < 16 && Math.abs(c) <= (SCALE_LIMIT[k] as number) ? BigInt(c * (POW10_NUMBER[k] as number)) : BigInt(c) * pow10(k);
  }
  return c * pow10(k);
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
  // Scaled so the integer quotient has 28 or 29 digits; the remainder decides the rounding.
  const shift = digitsOf(b) - digitsOf(a) + PRECISION;
  const exponent = ideal - shift;
  const numerator = shift >= 0 ? m * pow10(shift) : m;
  const denominator = shift >= 0 ? n : n * pow10(-shift);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return exactQuotient(negative, quotient, exponent, ideal);
  if (quotient < PRECISION_LIMIT) {
    const twice = remainder + remainder;
    return halfEven28(negative, quotient, twice > denominator ? 1 : twice < denominator ? -1 : 0, exponent);
  }
  // 29 digits: the last one is cut off, and the non-zero remainder makes a 5 more than half.
  const last = quotient % 10n;
  return halfEven28(negative, quotient / 10n, last >= 5n ? 1 : -1, exponent + 1);
}

/** An exact quotient keeps as few trailing zeros as the ideal exponent allows (1/4 = 0.25, 10/0.5 = 2E+1). */
function exactQuotient(negative: boolean, quotient: bigint, exponent: number, ideal: number): DecimalValue {
  const text = quotient.toString();
  let zeros = 0;
  while (zeros < ideal - exponent && text.charCodeAt(text.length - 1 - zeros) === 48) zeros += 1;
  const stripped = zeros > 0 ? quotient / pow10(zeros) : quotient;
  return rounded(negative ? -stripped : stripped, exponent + zeros);
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

/** Runs of zeros for text, made once (a weight like 0.0000123 needs one every time). */
const ZERO_RUNS: readonly string[] = Array.from({ length: 64 }, (_, n) => '0'.repeat(n));
const zeros = (n: number): string => ZERO_RUNS[n] ?? '0'.repeat(n);

/** digits × 10^exponent in plain notation, with exactly max(0, −exponent) decimals. */
function plainText(digits: string, exponent: number): string {
  if (exponent >= 0) return exponent === 0 || digits === '0' ? digits : digits + zeros(exponent);
  const point = digits.length + exponent;
  if (point > 0) return `${digits.slice(0, point)}.${digits.slice(point)}`;
  return `0.${zeros(-point)}${digits}`;
}

/**
 * Output text: plain notation, never an exponent, no trailing zeros ("3737" for 3737.000, "0"
 * for any zero) — numerically equal to Python's `str(Decimal)` (docs/engine.md, divergence 1).
 */
export function formatDecimal(value: Decimal): string {
  const c = value.c;
  if (c === 0) return '0';
  // Trailing zeros are cut from the text (cheaper than dividing the coefficient by 10).
  const digits = typeof c === 'number' ? String(c < 0 ? -c : c) : (c < 0n ? -c : c).toString();
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end -= 1;
  const text = plainText(end === digits.length ? digits : digits.slice(0, end), value.e + digits.length - end);
  return c < 0 ? `-${text}` : text;
}

/**
 * Output text with exactly `places` decimals, half-even (PositionSummary / AllocationMetric
 * weights). A negative value that rounds to zero keeps its sign ("-0.0000"), as decimal.js and
 * Python print it.
 */
export function formatFixed(value: Decimal, places: number): string {
  const { c, e } = value;
  // A long coefficient is rounded on its digit text (cheaper than BigInt division); the rest by quantize.
  let digits: string;
  if (typeof c === 'bigint' && e < -places) digits = roundTextHalfEven((c < 0n ? -c : c).toString(), -places - e);
  else {
    const q = quantize(value, places).c;
    digits = typeof q === 'number' ? String(Math.abs(q)) : (q < 0n ? -q : q).toString();
  }
  if (digits.length <= places) digits = zeros(places + 1 - digits.length) + digits;
  const text = places === 0 ? digits : `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
  return c < 0 ? `-${text}` : text;
}

/** The digits of a magnitude without its last `drop` digits, rounded half-even. */
function roundTextHalfEven(digits: string, drop: number): string {
  const keep = digits.length - drop;
  // Fewer digits than dropped: less than a tenth of a unit, so 0.
  if (keep < 0) return '0';
  const kept = keep === 0 ? '0' : digits.slice(0, keep);
  const first = digits.charCodeAt(keep) - 48;
  let up = first > 5;
  if (first === 5) {
    let beyondHalf = false;
    for (let i = keep + 1; i < digits.length && !beyondHalf; i += 1) beyondHalf = digits.charCodeAt(i) !== 48;
    up = beyondHalf || (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
  }
  if (!up) return kept;
  return kept.length <= 15 ? String(Number(kept) + 1) : (BigInt(kept) + 1n).toString();
}

// ── Input ──────────────────────────────────────────────────────────────────────────────────

const DECIMAL_SYNTAX = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/** The decimal a text denotes exactly, or null when it is not decimal text (or its exponent is beyond 2^53). */
function parse(text: string): Decimal | null {
  // Plain text of up to 15 digits ("-1234.50", the usual request value) is read by hand: the
  // coefficient accumulates exactly in a double (below 10^15 < 2^53).
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i = 1;
  }
  let c = 0;
  let digits = 0;
  let point = -1;
  for (; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      c = c * 10 + (ch - 48);
      digits += 1;
    } else if (ch === 46 && point < 0) point = digits;
    else break;
  }
  if (i === text.length && digits > 0 && digits <= 15) return new DecimalValue(negative ? -c : c, point < 0 ? 0 : point - digits);
  return parseSyntax(text);
}

function parseSyntax(text: string): Decimal | null {
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
  | { ok: false; code: 'decimal_type' | 'decimal_parsing' | 'finite_number' | 'decimal_range'; message: string };

const NON_FINITE_SYNTAX = /^[+-]?(?:inf|infinity|s?nan\d*)$/i;

/**
 * How far from 1 an input's leading digit may lie (docs/engine.md#validation-beyond-the-reference): 10^±100. Results
 * are written in plain notation, so "1E+99999999" (11 characters) would become a hundred million
 * digits — seconds of CPU on the event loop for one short request. Python refuses such values
 * only later, in arithmetic (an Overflow, a 500 in the reference); no amount, price, quantity or
 * weight comes near the bound.
 */
export const INPUT_EXPONENT_LIMIT = 100;

/** The exponent of the leading digit (Python's `adjusted()`); a zero's own exponent. */
function leadingExponent(value: Decimal): number {
  const { c, e } = value;
  return c === 0 ? e : e - 1 + digitsOf(c);
}

function inputText(value: Decimal): DecimalTextResult {
  const lead = leadingExponent(value);
  if (lead > INPUT_EXPONENT_LIMIT || lead < -INPUT_EXPONENT_LIMIT) {
    return { ok: false, code: 'decimal_range', message: `Input should be a decimal whose leading digit lies between 1E-${INPUT_EXPONENT_LIMIT} and 1E+${INPUT_EXPONENT_LIMIT}` };
  }
  return { ok: true, text: value.toString() };
}

function textFromString(input: string): DecimalTextResult {
  const trimmed = input.trim();
  const parsed = parse(trimmed);
  if (parsed !== null) return inputText(parsed);
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
  if (Number.isInteger(input)) return inputText(new DecimalValue(Number.isSafeInteger(input) ? input : BigInt(input), 0));
  return inputText(from(input));
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
