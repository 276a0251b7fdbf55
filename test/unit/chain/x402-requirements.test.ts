import { describe, expect, it } from 'vitest';
import type { PaymentRequired } from '@x402/core/types';
import { LOCAL_CHAIN } from './local-chain';
import { screenRequirements } from '../../../electron/core/rails/x402/x402-requirements';
import { microsToUnits, unitsToMicros } from '../../../electron/core/chain/units';

const chain = LOCAL_CHAIN;
const PAY_TO = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

const requirement = (over: Record<string, unknown> = {}) => ({
  scheme: 'exact',
  network: 'eip155:31337',
  asset: chain.usdc.address,
  amount: '250000',
  payTo: PAY_TO,
  maxTimeoutSeconds: 300,
  extra: { name: 'USDC', version: '2' },
  ...over,
});
const required = (...accepts: Record<string, unknown>[]) =>
  ({ x402Version: 2, resource: { url: 'http://x/' }, accepts }) as unknown as PaymentRequired;

describe('token units and micro-dollars', () => {
  it('six decimals are micro-dollars', () => {
    expect(unitsToMicros(250_000n, 6)).toBe(250_000n);
    expect(microsToUnits(250_000n, 6)).toBe(250_000n);
  });
  it('more decimals round up to the next micro-dollar: never cheaper than it is', () => {
    expect(unitsToMicros(10n ** 18n, 18)).toBe(1_000_000n);
    expect(unitsToMicros(1n, 18)).toBe(1n);
    expect(unitsToMicros(10n ** 12n + 1n, 18)).toBe(2n);
  });
  it('fewer decimals scale up exactly', () => {
    expect(unitsToMicros(25n, 2)).toBe(250_000n);
  });
  it('an allowance in units rounds down: never more than the policy', () => {
    expect(microsToUnits(1n, 2)).toBe(0n);
    expect(microsToUnits(1_000_000n, 18)).toBe(10n ** 18n);
  });
});

describe('screenRequirements', () => {
  const screen = (pr: PaymentRequired, denied: string[] = []) =>
    screenRequirements(pr, [chain], (a) => denied.includes(a));

  it('takes a requirement in the configured USDC on the configured chain', () => {
    const s = screen(required(requirement()));
    expect(s.refused).toEqual([]);
    expect(s.usable[0]).toMatchObject({
      index: 0,
      units: 250_000n,
      micros: 250_000n,
      payTo: PAY_TO,
    });
  });

  it.each([
    ['another scheme', { scheme: 'subscription' }, /scheme/],
    ['an upto requirement without its facilitator', { scheme: 'upto' }, /facilitatorAddress/],
    [
      'an upto requirement whose facilitator is no address',
      { scheme: 'upto', extra: { facilitatorAddress: 'me' } },
      /facilitatorAddress/,
    ],
    ['another chain', { network: 'eip155:8453' }, /not configured/],
    ['a malformed network', { network: 'eip155:abc' }, /not configured/],
    ['another token', { asset: '0x0000000000000000000000000000000000000001' }, /not the USDC/],
    ['no EIP-712 domain', { extra: {} }, /EIP-712/],
    ['a zero amount', { amount: '0' }, /positive/],
    ['a fractional amount', { amount: '1.5' }, /positive/],
    ['a negative amount', { amount: '-1' }, /positive/],
    ['an absurd amount', { amount: '9'.repeat(30) }, /over \$1,000,000,000/],
    ['a timeout of 301 s', { maxTimeoutSeconds: 301 }, /300/],
    ['a timeout of 0 s', { maxTimeoutSeconds: 0 }, /300/],
    ['a payTo that is no address', { payTo: 'evil.example' }, /payTo/],
  ])('refuses %s', (_name, over, reason) => {
    const s = screen(required(requirement(over)));
    expect(s.usable).toEqual([]);
    expect(s.refused[0]?.reason).toMatch(reason);
  });

  it('takes an upto requirement naming its facilitator, judged at its maximum', () => {
    const s = screen(
      required(
        requirement({
          scheme: 'upto',
          extra: { facilitatorAddress: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' },
        }),
      ),
    );
    expect(s.refused).toEqual([]);
    expect(s.usable[0]).toMatchObject({ scheme: 'upto', units: 250_000n, micros: 250_000n });
  });

  it('refuses a deny-listed payee however its address is cased', () => {
    const s = screen(required(requirement({ payTo: PAY_TO.toLowerCase() })), [PAY_TO]);
    expect(s.refused[0]?.reason).toMatch(/deny list/);
  });

  it('keeps the usable ones of a mixed offer, in order', () => {
    const s = screen(
      required(requirement({ scheme: 'subscription' }), requirement({ amount: '1' })),
    );
    expect(s.usable.map((u) => u.index)).toEqual([1]);
    expect(s.refused.map((r) => r.index)).toEqual([0]);
  });

  it('reads a v1 requirement (network name, maxAmountRequired)', () => {
    const base = { ...chain, id: 'base-sepolia' as const, chainId: 84532 };
    const pr = {
      x402Version: 1,
      accepts: [
        { ...requirement({ network: 'base-sepolia', amount: undefined }), maxAmountRequired: '5' },
      ],
    } as unknown as PaymentRequired;
    const s = screenRequirements(pr, [base], () => false);
    expect(s.usable[0]).toMatchObject({ units: 5n, network: 'eip155:84532' });
  });
});
