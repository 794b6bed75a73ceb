/**
 * The domain decimal (src/domain/decimal.ts): the reference's context, its division (checked
 * against decimal.js's own correctly rounded division) and the reference's decimal text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Decimal,
  DecimalArithmeticError,
  decimalText,
  divide,
  formatFixed,
} from '../../../src/domain/decimal.ts';

const sameRepresentation = (a: Decimal, b: Decimal) => a.s === b.s && a.e === b.e && a.d.join() === b.d.join();

describe('decimal context', () => {
  it('rounds every operation to 28 significant digits, half-even', () => {
    expect(new Decimal(2).div(3).toString()).toBe('0.6666666666666666666666666667');
    expect(new Decimal('1.000000000000000000000000000').plus('0.00000000000000000000000000005').toString()).toBe('1');
    expect(new Decimal('1.000000000000000000000000001').plus('0.00000000000000000000000000005').toString()).toBe(
      '1.000000000000000000000000001',
    );
    expect(formatFixed(new Decimal('0.00005'), 4)).toBe('0.0000');
    expect(formatFixed(new Decimal('0.00015'), 4)).toBe('0.0002');
  });

  it('refuses division by zero like Python, instead of returning Infinity', () => {
    expect(() => divide(new Decimal(1), new Decimal(0))).toThrow(DecimalArithmeticError);
    expect(() => divide(new Decimal(1), new Decimal(0))).toThrow(expect.objectContaining({ name: 'DivisionByZero' }));
    expect(() => divide(new Decimal(0), new Decimal(0))).toThrow(expect.objectContaining({ name: 'InvalidOperation' }));
  });
});

describe('divide', () => {
  const decimal = fc
    .tuple(
      fc.boolean(),
      // Up to 30 digits mostly, sometimes far longer (inputs are not limited in length).
      fc.oneof({ arbitrary: fc.bigInt({ min: 1n, max: 10n ** 30n }), weight: 4 }, fc.bigInt({ min: 1n, max: 10n ** 120n })),
      fc.integer({ min: -30, max: 30 }),
    )
    .map(([negative, coefficient, exponent]) => new Decimal(`${negative ? '-' : ''}${coefficient}e${exponent}`));

  it('gives exactly decimal.js\'s correctly rounded quotient, in the same representation', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const expected = a.div(b);
        const actual = divide(a, b);
        expect(actual.toString()).toBe(expected.toString());
        expect(sameRepresentation(actual, expected)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('breaks exact ties to even', () => {
    // 29 significant digits ending in 5, divided by 1, 2, 4 … so the quotient sits on a tie.
    const tie = fc
      .tuple(fc.bigInt({ min: 10n ** 27n, max: 10n ** 28n - 1n }), fc.constantFrom('1', '2', '4', '8', '0.5', '0.25'))
      .map(([digits, divisor]) => [new Decimal(`${digits}5e-10`).times(divisor), new Decimal(divisor)] as const);
    fc.assert(
      fc.property(tie, ([a, b]) => {
        expect(divide(a, b).toString()).toBe(a.div(b).toString());
      }),
      { numRuns: 5000 },
    );
  });
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
  ])('%j → %j', (input, expected) => {
    expect(decimalText(input)).toEqual({ ok: true, text: expected });
  });

  it('reads JSON numbers as Python does: integers as ints, others by their shortest repr', () => {
    expect(decimalText(5)).toEqual({ ok: true, text: '5' });
    expect(decimalText(0.1)).toEqual({ ok: true, text: '0.1' });
    expect(decimalText(1e-7)).toEqual({ ok: true, text: '1E-7' });
    expect(decimalText(-2.5e-3)).toEqual({ ok: true, text: '-0.0025' });
  });

  it('rejects non-finite values, booleans and junk with the reference\'s codes', () => {
    expect(decimalText('NaN')).toMatchObject({ ok: false, code: 'finite_number' });
    expect(decimalText('-Infinity')).toMatchObject({ ok: false, code: 'finite_number' });
    expect(decimalText(Number.POSITIVE_INFINITY)).toMatchObject({ ok: false, code: 'finite_number' });
    expect(decimalText(true)).toMatchObject({ ok: false, code: 'decimal_type' });
    expect(decimalText('1,5')).toMatchObject({ ok: false, code: 'decimal_parsing' });
    expect(decimalText('')).toMatchObject({ ok: false, code: 'decimal_parsing' });
  });
});
