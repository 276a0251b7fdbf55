import { afterEach, describe, expect, it } from 'vitest';
import { Wallet } from '../../electron/core/wallet';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

/**
 * The shells get the wallet's event bus listen-only (electron/core/events.ts): only the
 * core announces a change, after the commit that made it. The guard is the type, which
 * `npm run typecheck` checks: the `@ts-expect-error` lines fail the build if `emit`
 * becomes reachable again.
 */
const wallets: Wallet[] = [];
afterEach(async () => {
  for (const w of wallets.splice(0)) await w.close();
  cleanupTmpDirs();
});

describe('wallet.events', () => {
  it('lets a shell listen, not announce', async () => {
    const wallet = Wallet.open({ home: tmpHome('events-feed') });
    wallets.push(wallet);
    const seen: boolean[] = [];
    const onSettings = (s: { frozen: boolean }) => seen.push(s.frozen);
    wallet.events.on('settings', onSettings);
    await wallet.settings.setFrozen(true);
    expect(seen).toEqual([true]);
    wallet.events.off('settings', onSettings);
    // @ts-expect-error a shell cannot announce a freeze that is not on the database
    expect(typeof wallet.events.emit).toBe('function');
    // @ts-expect-error nor remove the core's own listeners
    expect(typeof wallet.events.removeAllListeners).toBe('function');
  });
});
