import { describe, expect, it } from 'vitest';
import { osSealer, type OsCrypto } from '../../../electron/desktop/os-sealer';

// safeStorage cannot run here (no Electron binary): a stand-in that reverses and tags the
// text, to check what the sealer asks of it and how it treats its answers.
function fakeOs(over: Partial<OsCrypto> = {}): OsCrypto & { calls: string[] } {
  const calls: string[] = [];
  const enc = (s: string) => Buffer.from(`os:${[...s].reverse().join('')}`);
  const dec = (b: Buffer) => {
    const t = b.toString();
    if (!t.startsWith('os:')) throw new Error('bad');
    return [...t.slice(3)].reverse().join('');
  };
  return {
    calls,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    isEncryptionAvailable: () => true,
    encryptString: (s) => (calls.push('sync-encrypt'), enc(s)),
    decryptString: (b) => (calls.push('sync-decrypt'), dec(b)),
    ...over,
  };
}
const key = Buffer.alloc(32, 7);

describe('osSealer', () => {
  it('refuses Linux’s basic_text backend', async () => {
    await expect(
      osSealer(fakeOs({ getSelectedStorageBackend: () => 'basic_text' }), 'linux'),
    ).rejects.toThrow(/basic_text/);
  });

  it('uses the async API where Electron has it', async () => {
    const os = fakeOs();
    const async: Partial<OsCrypto> = {
      isAsyncEncryptionAvailable: async () => true,
      encryptStringAsync: async (s) => (os.calls.push('async-encrypt'), os.encryptString(s)),
      decryptStringAsync: async (b) => (
        os.calls.push('async-decrypt'),
        { result: os.decryptString(b) }
      ),
    };
    Object.assign(os, async);
    const sealer = await osSealer(os, 'linux');
    expect(await sealer.unseal(await sealer.seal(key))).toEqual(key);
    expect(os.calls.filter((c) => c.startsWith('async'))).toEqual([
      'async-encrypt',
      'async-decrypt',
    ]);
  });

  it('falls back to the sync API on Electron 39, and round-trips', async () => {
    const os = fakeOs();
    const sealer = await osSealer(os, 'darwin');
    expect(sealer.kind).toBe('safe_storage');
    expect(await sealer.unseal(await sealer.seal(key))).toEqual(key);
  });

  it('refuses when no key store is available, and when a sealed key does not open', async () => {
    await expect(osSealer(fakeOs({ isEncryptionAvailable: () => false }), 'win32')).rejects.toThrow(
      /not available/,
    );
    const sealer = await osSealer(fakeOs(), 'win32');
    await expect(sealer.unseal(Buffer.from('garbage'))).rejects.toThrow(/could not open/);
  });
});
