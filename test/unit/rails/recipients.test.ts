import { describe, expect, it } from 'vitest';
import { lookalikeOf, parseAddress } from '../../../electron/core/rails/payouts/recipients';

describe('recipients (docs/payouts.md)', () => {
  const alice = { name: 'Alice', address: '0xAbCd000000000000000000000000000000001234' as const };

  it('flags an address with the same first and last four hex digits and another middle', () => {
    expect(lookalikeOf('0xabcd999999999999999999999999999999991234', [alice])).toBe(alice);
    // The same address (in any case) is not a look-alike of itself.
    expect(lookalikeOf('0xabcd000000000000000000000000000000001234', [alice])).toBeUndefined();
    expect(lookalikeOf('0xabce999999999999999999999999999999991234', [alice])).toBeUndefined();
    expect(lookalikeOf('0xabcd999999999999999999999999999999991235', [alice])).toBeUndefined();
  });

  it('checksums an address, and refuses a mixed-case one with a wrong checksum', () => {
    expect(parseAddress(' 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed ', 'recipient')).toBe(
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    );
    expect(() => parseAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'recipient')).toThrow(
      /checksum/,
    );
    expect(() => parseAddress('0x1234', 'recipient')).toThrow(/40 hex digits/);
  });
});
