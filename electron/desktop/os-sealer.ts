import type { Sealer } from '../core/chain/sealer';
import { UnsealError } from '../core/chain/sealer';

/**
 * The part of Electron's safeStorage the sealer uses. Electron 42 added the async API
 * (`…Async`); the version we can install on this project's Node 20 (39) has only the sync
 * one, so both are described and the async one is preferred where it exists.
 */
export interface OsCrypto {
  getSelectedStorageBackend?(): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plain: string): Promise<Buffer>;
  decryptStringAsync?(sealed: Buffer): Promise<{ result: string; shouldReEncrypt?: boolean }>;
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/**
 * Seals chain keys with the OS key store (Keychain, DPAPI, libsecret/KWallet) through
 * Electron's safeStorage (docs/chain.md). Linux's `basic_text` backend encrypts with a
 * password hard-coded in Chromium, which protects nothing: it is refused, and the desktop
 * app then keeps chain keys locked rather than pretend.
 */
export async function osSealer(os: OsCrypto, platform = process.platform): Promise<Sealer> {
  if (platform === 'linux' && os.getSelectedStorageBackend?.() === 'basic_text') {
    throw new UnsealError(
      'The OS key store is not available (safeStorage fell back to basic_text); chain keys stay locked. Install and unlock GNOME Keyring or KWallet, or run `purser serve` with a passphrase.',
    );
  }
  const asyncApi =
    os.encryptStringAsync && os.decryptStringAsync && os.isAsyncEncryptionAvailable
      ? { encrypt: os.encryptStringAsync.bind(os), decrypt: os.decryptStringAsync.bind(os) }
      : undefined;
  const available = asyncApi
    ? await (os.isAsyncEncryptionAvailable as () => Promise<boolean>)()
    : os.isEncryptionAvailable();
  if (!available)
    throw new UnsealError('The OS key store is not available; chain keys stay locked.');
  return {
    kind: 'safe_storage',
    async seal(secret) {
      const hex = secret.toString('hex');
      return asyncApi ? asyncApi.encrypt(hex) : os.encryptString(hex);
    },
    async unseal(sealed) {
      let hex: string;
      try {
        hex = asyncApi ? (await asyncApi.decrypt(sealed)).result : os.decryptString(sealed);
      } catch {
        throw new UnsealError(
          'The OS key store could not open a sealed key (another user or machine?).',
        );
      }
      if (!/^[0-9a-f]{64}$/.test(hex))
        throw new UnsealError('A sealed key opened to something that is not a key.');
      return Buffer.from(hex, 'hex');
    },
  };
}
