import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';

/**
 * Seals private keys before they reach the database (docs/chain.md). The desktop app uses
 * Electron's safeStorage (electron/desktop/safe-storage-sealer.ts); headless mode uses a
 * key derived from the owner's passphrase. Nothing else ever sees a key in the clear.
 */
export interface Sealer {
  readonly kind: 'passphrase' | 'safe_storage';
  seal(secret: Buffer): Promise<Buffer>;
  unseal(sealed: Buffer): Promise<Buffer>;
}

/** Raised when sealed keys cannot be opened: a wrong passphrase, or another machine's store. */
export class UnsealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsealError';
  }
}

const VERSION = 1;
const SALT = 16;
const IV = 12;
const TAG = 16;
// scrypt at N = 2^15, r = 8: ~32 MiB and ~50–100 ms a derivation, OWASP's floor for scrypt.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, 32, SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * AES-256-GCM under a scrypt key of the passphrase; a fresh salt and IV per sealed value.
 * Layout: version (1) | salt (16) | iv (12) | tag (16) | ciphertext. GCM's tag makes a
 * wrong passphrase an error, never garbage taken for a key.
 */
export class PassphraseSealer implements Sealer {
  readonly kind = 'passphrase' as const;
  private readonly derived = new Map<string, Promise<Buffer>>();

  constructor(private readonly passphrase: string) {
    if (passphrase.length < 8) throw new Error('The passphrase must be at least 8 characters.');
  }

  private keyFor(salt: Buffer): Promise<Buffer> {
    const id = salt.toString('hex');
    let key = this.derived.get(id);
    if (!key) {
      key = deriveKey(this.passphrase, salt);
      this.derived.set(id, key);
    }
    return key;
  }

  async seal(secret: Buffer): Promise<Buffer> {
    const salt = randomBytes(SALT);
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', await this.keyFor(salt), iv);
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), salt, iv, cipher.getAuthTag(), body]);
  }

  async unseal(sealed: Buffer): Promise<Buffer> {
    if (sealed.length < 1 + SALT + IV + TAG || sealed[0] !== VERSION) {
      throw new UnsealError('This sealed key was not made by a passphrase sealer.');
    }
    const salt = sealed.subarray(1, 1 + SALT);
    const iv = sealed.subarray(1 + SALT, 1 + SALT + IV);
    const tag = sealed.subarray(1 + SALT + IV, 1 + SALT + IV + TAG);
    const body = sealed.subarray(1 + SALT + IV + TAG);
    const decipher = createDecipheriv('aes-256-gcm', await this.keyFor(Buffer.from(salt)), iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new UnsealError('The passphrase does not open Purser’s sealed keys.');
    }
  }
}
