import { describe, expect, it } from 'vitest';
import { PassphraseSealer, UnsealError } from '../../../electron/core/chain/sealer';

describe('PassphraseSealer', () => {
  const secret = Buffer.from(
    '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318',
    'hex',
  );

  it('round-trips a key, and the sealed bytes never contain it', async () => {
    const sealer = new PassphraseSealer('a long enough passphrase');
    const sealed = await sealer.seal(secret);
    expect(sealed.includes(secret)).toBe(false);
    expect(sealed.toString('latin1')).not.toContain(secret.toString('hex'));
    expect(await sealer.unseal(sealed)).toEqual(secret);
  });

  it('seals the same key differently each time (fresh salt and IV)', async () => {
    const sealer = new PassphraseSealer('a long enough passphrase');
    const [a, b] = await Promise.all([sealer.seal(secret), sealer.seal(secret)]);
    expect(a.equals(b)).toBe(false);
  });

  it('a wrong passphrase is an error, never garbage taken for a key', async () => {
    const sealed = await new PassphraseSealer('the right passphrase').seal(secret);
    await expect(new PassphraseSealer('the wrong passphrase').unseal(sealed)).rejects.toThrow(
      UnsealError,
    );
  });

  it('a tampered sealed key is refused', async () => {
    const sealer = new PassphraseSealer('a long enough passphrase');
    const sealed = await sealer.seal(secret);
    const last = sealed.length - 1;
    sealed[last] = (sealed[last] as number) ^ 1;
    await expect(sealer.unseal(sealed)).rejects.toThrow(UnsealError);
    await expect(sealer.unseal(Buffer.from([9, 9, 9]))).rejects.toThrow(UnsealError);
  });

  it('refuses a passphrase too short to be one', () => {
    expect(() => new PassphraseSealer('short')).toThrow(/at least 8/);
  });

  it('the same passphrase in another Unicode normal form opens the key', async () => {
    const sealed = await new PassphraseSealer('caf\u00e9 au lait').seal(secret);
    expect(await new PassphraseSealer('cafe\u0301 au lait').unseal(sealed)).toEqual(secret);
  });
});
