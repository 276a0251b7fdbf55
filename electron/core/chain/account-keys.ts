import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { getAddress, isAddress, isHex } from 'viem';
import { invalidRequest, invalidTransition } from '../errors';
import type { AccountRepository, SealedAccount } from './account-repository';
import type { Address } from './chain-config';
import type { Sealer } from './sealer';

/** A key made here or handed in by the owner, sealed before it goes anywhere. */
export async function sealNewKey(sealer: Sealer, privateKey?: string): Promise<SealedAccount> {
  const key = privateKey === undefined ? generatePrivateKey() : normalizePrivateKey(privateKey);
  const address = privateKeyToAccount(key).address;
  const sealedKey = await sealer.seal(Buffer.from(key.slice(2), 'hex'));
  return { address, sealedKey, sealedWith: sealer.kind };
}

export function watchOnly(address: string): SealedAccount {
  if (!isAddress(address, { strict: false })) {
    throw invalidRequest('address must be a 0x-prefixed 20-byte hex address.', {
      field: 'address',
    });
  }
  return { address: getAddress(address), sealedKey: null, sealedWith: null };
}

function normalizePrivateKey(text: string): `0x${string}` {
  const key = (text.startsWith('0x') ? text : `0x${text}`).toLowerCase();
  if (!isHex(key) || key.length !== 66) {
    // Never echo the value: it may be a real key with a typo.
    throw invalidRequest('private_key must be 32 bytes of hex.', { field: 'private_key' });
  }
  return key as `0x${string}`;
}

/**
 * Opens a sealed key for one use. The viem account lives only as long as the caller holds
 * it; the key is never returned, logged or sent anywhere.
 */
export async function openAccount(
  store: AccountRepository,
  sealer: Sealer | undefined,
  address: Address,
): Promise<PrivateKeyAccount> {
  const sealed = store.sealedKeyOf(address);
  if (!sealed) throw invalidTransition(`Purser holds no key for ${address}.`, { address });
  if (!sealer || sealer.kind !== sealed.with) {
    throw invalidTransition(
      sealed.with === 'passphrase'
        ? 'Purser’s keys are locked: start it with PURSER_PASSPHRASE (or --passphrase-file).'
        : 'Purser’s keys are sealed by the desktop app’s safe storage; open the desktop app to sign.',
      { reason: 'keys_locked' },
    );
  }
  const raw = await sealer.unseal(sealed.sealed);
  try {
    return privateKeyToAccount(`0x${raw.toString('hex')}`);
  } finally {
    raw.fill(0);
  }
}
