import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centsToMicros,
  formatUsd,
  MAX_AMOUNT_CENTS,
  MAX_AMOUNT_MICROS,
  MAX_AMOUNT_MICROS_NUMBER,
  maxMicros,
  MICROS_PER_CENT,
  MICROS_PER_USD,
  microsFromNumber,
  microsFromString,
  microsToCentsCeil,
  microsToCentsFloor,
  microsToString,
  minMicros,
  ZERO,
} from '../../shared/money';

describe('constants', () => {
  it('define a cent, a dollar and the one-billion-dollar ceiling', () => {
    expect(MICROS_PER_CENT).toBe(10_000n);
    expect(MICROS_PER_USD).toBe(1_000_000n);
    expect(MAX_AMOUNT_MICROS).toBe(10n ** 15n);
    expect(MAX_AMOUNT_CENTS).toBe(100_000_000_000);
    expect(MAX_AMOUNT_MICROS_NUMBER).toBe(1e15);
    expect(Number.isSafeInteger(MAX_AMOUNT_MICROS_NUMBER)).toBe(true);
    expect(ZERO).toBe(0n);
  });
});

describe('centsToMicros / microsFromNumber', () => {
  it('convert exact integers', () => {
    expect(centsToMicros(0)).toBe(0n);
    expect(centsToMicros(1)).toBe(10_000n);
    expect(centsToMicros(12_345)).toBe(123_450_000n);
    expect(centsToMicros(-7)).toBe(-70_000n);
    expect(centsToMicros(MAX_AMOUNT_CENTS)).toBe(MAX_AMOUNT_MICROS);
    expect(microsFromNumber(1)).toBe(1n);
    expect(microsFromNumber(-42)).toBe(-42n);
    expect(microsFromNumber(Number.MAX_SAFE_INTEGER)).toBe(9_007_199_254_740_991n);
  });

  it.each([0.5, 1.0000001, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53)])('refuse %s', (bad) => {
    expect(() => centsToMicros(bad)).toThrow(RangeError);
    expect(() => microsFromNumber(bad)).toThrow(RangeError);
  });
});

describe('microsToCentsFloor / microsToCentsCeil', () => {
  it.each([
    // micros, floor, ceil
    [0n, 0, 0],
    [1n, 0, 1],
    [9_999n, 0, 1],
    [10_000n, 1, 1],
    [10_001n, 1, 2],
    [19_999n, 1, 2],
    [123_450_000n, 12_345, 12_345],
    [-1n, -1, 0],
    [-9_999n, -1, 0],
    [-10_000n, -1, -1],
    [-10_001n, -2, -1],
    [-25_000n, -3, -2],
    [MAX_AMOUNT_MICROS, MAX_AMOUNT_CENTS, MAX_AMOUNT_CENTS],
    [MAX_AMOUNT_MICROS + 1n, MAX_AMOUNT_CENTS, MAX_AMOUNT_CENTS + 1],
  ] as const)('%s micros: floor %s, ceil %s', (micros, floor, ceil) => {
    expect(microsToCentsFloor(micros)).toBe(floor);
    expect(microsToCentsCeil(micros)).toBe(ceil);
  });

  it('agree with Math.floor / Math.ceil for every sign', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        const m = BigInt(n);
        expect(microsToCentsFloor(m)).toBe(Math.floor(n / 10_000));
        expect(microsToCentsCeil(m)).toBe(Math.ceil(n / 10_000) + 0); // + 0 turns -0 into 0
      }),
      { numRuns: 2000 },
    );
  });

  it('floor ≤ exact ≤ ceil, differing by at most one cent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_AMOUNT_MICROS, max: MAX_AMOUNT_MICROS }), (m) => {
        const f = BigInt(microsToCentsFloor(m)) * MICROS_PER_CENT;
        const c = BigInt(microsToCentsCeil(m)) * MICROS_PER_CENT;
        expect(f <= m && m <= c).toBe(true);
        expect(c - f === 0n ? m % MICROS_PER_CENT === 0n : c - f === MICROS_PER_CENT).toBe(true);
      }),
    );
  });

  it('round-trip whole cents exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_AMOUNT_CENTS, max: MAX_AMOUNT_CENTS }), (cents) => {
        const m = centsToMicros(cents);
        expect(microsToCentsFloor(m)).toBe(cents);
        expect(microsToCentsCeil(m)).toBe(cents);
      }),
    );
  });
});

describe('minMicros / maxMicros', () => {
  it('pick the smaller and the larger', () => {
    expect(minMicros(3n, 5n)).toBe(3n);
    expect(minMicros(5n, 3n)).toBe(3n);
    expect(maxMicros(3n, 5n)).toBe(5n);
    expect(maxMicros(-3n, -5n)).toBe(-3n);
    expect(minMicros(-3n, -5n)).toBe(-5n);
    expect(maxMicros(7n, 7n)).toBe(7n);
  });
});

describe('formatUsd', () => {
  it.each([
    [0n, '$0.00'],
    [10_000n, '$0.01'],
    [100_000n, '$0.10'],
    [1_000_000n, '$1.00'],
    [1_500_000n, '$1.50'],
    [12_340_000n, '$12.34'],
    [999_990_000n, '$999.99'],
    [1_000_000_000n, '$1,000.00'],
    [1_234_567_890_000n, '$1,234,567.89'],
    [100_000_000n, '$100.00'],
    [123_456_000_000n, '$123,456.00'],
    [MAX_AMOUNT_MICROS, '$1,000,000,000.00'],
  ] as const)('%s micros → %s', (micros, text) => {
    expect(formatUsd(micros)).toBe(text);
  });

  it.each([
    [1n, '$0.000001'],
    [10n, '$0.00001'],
    [5_000n, '$0.005'],
    [12_345n, '$0.012345'],
    [12_345_600n, '$12.3456'],
    [999_999n, '$0.999999'],
    [1_234_567_890_001n, '$1,234,567.890001'],
  ] as const)('keeps sub-cent precision: %s micros → %s', (micros, text) => {
    expect(formatUsd(micros)).toBe(text);
  });

  it.each([
    [-1n, '-$0.000001'],
    [-10_000n, '-$0.01'],
    [-1_500_000n, '-$1.50'],
    [-1_234_567_890_000n, '-$1,234,567.89'],
  ] as const)('formats negatives: %s micros → %s', (micros, text) => {
    expect(formatUsd(micros)).toBe(text);
  });

  it('parses back to the same amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_AMOUNT_MICROS, max: MAX_AMOUNT_MICROS }), (m) => {
        const text = formatUsd(m);
        expect(text).toMatch(/^-?\$\d{1,3}(,\d{3})*\.\d{2,6}$/);
        const [whole, frac = ''] = text.replace(/[-$,]/g, '').split('.');
        const abs = BigInt(whole ?? '') * MICROS_PER_USD + BigInt(frac.padEnd(6, '0'));
        expect(text.startsWith('-') ? -abs : abs).toBe(m);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('microsToString / microsFromString', () => {
  it('round-trip', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_AMOUNT_MICROS, max: MAX_AMOUNT_MICROS }), (m) => {
        expect(microsFromString(microsToString(m))).toBe(m);
      }),
    );
    expect(microsToString(-5n)).toBe('-5');
    expect(microsToString(MAX_AMOUNT_MICROS)).toBe('1000000000000000');
  });

  it('accept plain integers up to 19 digits', () => {
    expect(microsFromString('0')).toBe(0n);
    expect(microsFromString('42')).toBe(42n);
    expect(microsFromString('-42')).toBe(-42n);
    expect(microsFromString('007')).toBe(7n);
    expect(microsFromString('9'.repeat(19))).toBe(10n ** 19n - 1n);
  });

  it.each([
    '',
    '-',
    '1.5',
    '1.0',
    '1e6',
    '+1',
    ' 1',
    '1 ',
    '0x10',
    '1_000',
    '1,000',
    '--1',
    'abc',
    '12a',
    '\u0661', // Arabic-Indic digit one
    '1'.repeat(20),
  ])('refuse %j', (bad) => {
    expect(() => microsFromString(bad)).toThrow(RangeError);
  });
});
