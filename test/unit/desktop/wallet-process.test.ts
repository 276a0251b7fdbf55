/**
 * The main process and the wallet's utility process, connected as Electron would connect
 * them, but under Node: WalletConnection (main.ts's side) and serveWallet (the utility
 * process's side, running the real server) talk through an in-memory port that copies
 * every message with structuredClone, as Electron's message ports do.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../../electron/api/server';
import { DEFAULT_PORT } from '../../../electron/core/server-info';
import { PassphraseSealer, UnsealError, type Sealer } from '../../../electron/core/chain/sealer';
import { SERVER_FILE } from '../../../electron/core/paths';
import {
  WalletConnection,
  shouldRestart,
  type WalletChild,
} from '../../../electron/desktop/wallet-connection';
import {
  DEFAULT_WALLET_PORT,
  parseFromWallet,
  parseToWallet,
  walletPort,
} from '../../../electron/desktop/wallet-protocol';
import { serveWallet, type ParentPortLike } from '../../../electron/desktop/wallet-service';
import { cleanupTmpDirs, tmpHome } from '../../helpers/tmp';

const TOKEN = `pot_${'a1B2c3D4e5'.repeat(4)}`;

/** The pair of ports of one utility process, and its exit. */
function utilityPair() {
  const toMain: Array<(message: unknown) => void> = [];
  const onExit: Array<(code: number) => void> = [];
  let toWallet: ((event: { data: unknown }) => void) | undefined;
  const fromMain: unknown[] = [];
  const fromWallet: unknown[] = [];
  let exitCode: number | undefined;
  const exit = (code: number) => {
    if (exitCode !== undefined) return;
    exitCode = code;
    setImmediate(() => onExit.forEach((l) => l(code)));
  };
  const port: ParentPortLike = {
    postMessage(message) {
      fromWallet.push(message);
      const copy = structuredClone(message);
      setImmediate(() => toMain.forEach((l) => l(copy)));
    },
    on(_event, listener) {
      toWallet = listener;
      return port;
    },
  };
  const child: WalletChild = {
    postMessage(message) {
      fromMain.push(message);
      const copy = structuredClone(message);
      setImmediate(() => {
        if (exitCode === undefined) toWallet?.({ data: copy });
      });
    },
    on(event: 'message' | 'exit', listener: (arg: never) => void) {
      if (event === 'message') toMain.push(listener as (message: unknown) => void);
      else onExit.push(listener as (code: number) => void);
      return child;
    },
    kill() {
      exit(143);
      return true;
    },
  };
  return { port, child, exit, fromMain, fromWallet, exitCode: () => exitCode };
}

/** Stands in for the OS key store: Electron's safeStorage cannot run here. */
class StandInKeyStore implements Sealer {
  readonly kind = 'safe_storage' as const;
  readonly calls: string[] = [];
  private readonly inner = new PassphraseSealer('stand-in key store passphrase');
  refuse = false;
  async seal(secret: Buffer) {
    this.calls.push('seal');
    return this.inner.seal(secret);
  }
  async unseal(sealed: Buffer) {
    this.calls.push('unseal');
    if (this.refuse) throw new UnsealError('The OS key store is locked.');
    return this.inner.unseal(sealed);
  }
}

const connections: WalletConnection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) await c.stop(2_000);
  cleanupTmpDirs();
});

function launch(home: string, sealer?: Sealer) {
  const pair = utilityPair();
  serveWallet(pair.port, { startServer, exit: pair.exit, log: () => undefined });
  const wallet = new WalletConnection(pair.child, sealer, () => undefined);
  connections.push(wallet);
  const ready = wallet.start({
    home,
    port: 0,
    ownerToken: TOKEN,
    rendererDir: join(home, 'no-renderer'),
    nativeBinding: null,
  });
  return { pair, wallet, ready };
}

describe('the wallet in its own process', () => {
  it('starts the real server with the owner secret from the start message, and stops it', async () => {
    const home = tmpHome();
    const { pair, wallet, ready } = launch(home);
    const { url } = await ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The owner secret works, and it travelled once, in the start message.
    const approvals = await fetch(`${url}/admin/v1/approvals`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(approvals.status).toBe(200);
    const carrying = pair.fromMain.filter((m) => JSON.stringify(m).includes(TOKEN));
    expect(carrying).toEqual([expect.objectContaining({ type: 'start' })]);
    expect(pair.fromWallet.some((m) => JSON.stringify(m).includes(TOKEN))).toBe(false);
    // Desktop mode: no owner token on disk.
    expect(existsSync(join(home, 'owner-token'))).toBe(false);
    expect(existsSync(join(home, SERVER_FILE))).toBe(true);

    await wallet.stop(5_000);
    expect(pair.exitCode()).toBe(0);
    expect(existsSync(join(home, SERVER_FILE))).toBe(false);
    await expect(fetch(`${url}/admin/v1/approvals`)).rejects.toThrow();
  });

  it('hands out one-time login links that log the window in', async () => {
    const { wallet, ready } = launch(tmpHome());
    const { url } = await ready;
    const link = await wallet.loginLink('desktop window');
    const code = /#code=([0-9A-Za-z]+)$/.exec(link)?.[1];
    expect(link.startsWith(`${url}/app/#code=`)).toBe(true);
    const login = () =>
      fetch(`${url}/admin/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
    const first = await login();
    expect(first.status).toBe(200);
    const { token } = (await first.json()) as { token: string };
    const who = await fetch(`${url}/admin/v1/sessions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const sessions = (await who.json()) as { sessions: Array<{ label: string | null }> };
    expect(sessions.sessions.map((s) => s.label)).toContain('desktop window');
    expect((await login()).status).not.toBe(200); // once only
    expect(await wallet.loginLink('desktop window')).not.toBe(link);
  });

  it('reports a start that fails (another Purser on the same data folder) and exits', async () => {
    const home = tmpHome();
    const other = await startServer({ home, port: 0 });
    try {
      // server.json names a live process: this one. Pretend it is another.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(home, SERVER_FILE), JSON.stringify({ ...other.info, pid: process.ppid }));
      const { pair, ready } = launch(home);
      await expect(ready).rejects.toThrow(/already running/);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pair.exitCode()).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('seals chain keys with the key store of the main process, and unseals them at the next start', async () => {
    const home = tmpHome();
    const keyStore = new StandInKeyStore();
    const first = launch(home, keyStore);
    const { url } = await first.ready;
    const created = await fetch(`${url}/admin/v1/chain/owner-account`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ generate: true }),
    });
    expect(created.status).toBe(200);
    expect(keyStore.calls).toEqual(['seal']);
    await first.wallet.stop(5_000);

    const second = launch(home, keyStore);
    await second.ready;
    expect(keyStore.calls).toEqual(['seal', 'unseal']);
    const chain = await fetch(`${(await second.ready).url}/admin/v1/chain`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(((await chain.json()) as { unlocked: boolean }).unlocked).toBe(true);
  });

  it('a key store that refuses to open a key stops the start, as it does in-process', async () => {
    const home = tmpHome();
    const keyStore = new StandInKeyStore();
    const first = launch(home, keyStore);
    const { url } = await first.ready;
    await fetch(`${url}/admin/v1/chain/owner-account`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ generate: true }),
    });
    await first.wallet.stop(5_000);
    keyStore.refuse = true;
    const second = launch(home, keyStore);
    // startServer's unlock() refuses to start on a key it cannot open, as it does
    // in-process (a wrong passphrase headless), and the refusal reaches the main process.
    await expect(second.ready).rejects.toThrow(/locked/);
  });

  it('a wallet that does not stop in time is ended', async () => {
    const pair = utilityPair();
    // A wallet that never answers anything.
    const wallet = new WalletConnection(pair.child, undefined, () => undefined);
    await wallet.stop(50);
    expect(pair.exitCode()).toBe(143);
    await expect(wallet.loginLink('x')).rejects.toThrow(/not running/);
  });

  it('a wallet that exits fails what waits for it', async () => {
    const pair = utilityPair();
    const wallet = new WalletConnection(pair.child, undefined, () => undefined);
    const exits: Array<[number, boolean]> = [];
    wallet.onExit((code, expected) => exits.push([code, expected]));
    const link = wallet.loginLink('x');
    pair.exit(9);
    await expect(link).rejects.toThrow(/exited/);
    await expect(wallet.ready).rejects.toThrow(/exited/);
    expect(exits).toEqual([[9, false]]);
  });
});

describe('the protocol', () => {
  it('refuses what is not in it, on both sides', () => {
    expect(
      parseToWallet({
        type: 'start',
        home: '/h',
        port: 1,
        ownerToken: 'nope',
        rendererDir: '/r',
        nativeBinding: null,
        sealer: false,
      }),
    ).toBeUndefined();
    expect(parseToWallet({ type: 'eval', code: 'process.exit()' })).toBeUndefined();
    expect(parseToWallet({ type: 'stop', extra: 1 })).toBeUndefined();
    expect(parseToWallet('stop')).toBeUndefined();
    expect(parseToWallet({ type: 'sealed', id: 1, ok: true, data: 'AAAA' })).toBeDefined();
    expect(
      parseToWallet({ type: 'sealed', id: 1, ok: false, message: 'no', unseal: true }),
    ).toBeDefined();
    expect(parseToWallet({ type: 'sealed', id: 1, ok: true, data: 'not base64!' })).toBeUndefined();
    expect(
      parseFromWallet({ type: 'ready', url: 'http://evil.example:80', port: 80 }),
    ).toBeUndefined();
    expect(
      parseFromWallet({ type: 'ready', url: 'http://127.0.0.1:8402', port: 8402 }),
    ).toBeDefined();
  });

  it('the port: PURSER_PORT when it is one, else the server’s default', () => {
    expect(DEFAULT_WALLET_PORT).toBe(DEFAULT_PORT);
    expect(walletPort(undefined)).toBe(DEFAULT_PORT);
    expect(walletPort('0')).toBe(0);
    expect(walletPort('9000')).toBe(9000);
    expect(walletPort('70000')).toBe(DEFAULT_PORT);
    expect(walletPort('abc')).toBe(DEFAULT_PORT);
  });

  it('restarts a crashed wallet a few times a minute, not forever', () => {
    expect(shouldRestart([], 100_000)).toBe(true);
    expect(shouldRestart([90_000, 95_000], 100_000)).toBe(true);
    expect(shouldRestart([90_000, 95_000, 99_000], 100_000)).toBe(false);
    expect(shouldRestart([1_000, 2_000, 3_000], 100_000)).toBe(true);
  });
});

describe('the wallet in a real second process', () => {
  it('keeps the main side responsive while the wallet is busy with a long synchronous batch', async () => {
    const { fork } = await import('node:child_process');
    const fixture = new URL('./fixtures/node-wallet-process.ts', import.meta.url);
    const child = fork(fixture, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      env: { ...process.env, PURSER_TEST_BLOCK_MS: '1500' },
      stdio: 'inherit',
    });
    const adapter: WalletChild = {
      postMessage: (message) => child.send(message as never),
      on(event: 'message' | 'exit', listener: (arg: never) => void) {
        child.on(event, listener as (arg: unknown) => void);
        return adapter;
      },
      kill: () => child.kill(),
    };
    const wallet = new WalletConnection(adapter, undefined, () => undefined);
    connections.push(wallet);
    const home = tmpHome();
    await wallet.start({
      home,
      port: 0,
      ownerToken: TOKEN,
      rendererDir: home,
      nativeBinding: null,
    });
    // The owner secret is not in the child's command line or environment.
    expect(child.spawnargs.join(' ')).not.toContain(TOKEN);
    expect(JSON.stringify(process.env)).not.toContain(TOKEN);

    // While the wallet is blocked, this side's timers keep their pace.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const link = wallet.loginLink('desktop window');
    let worstGap = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      worstGap = Math.max(worstGap, Date.now() - last);
      last = Date.now();
    }, 10);
    await link;
    clearInterval(timer);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThan(800); // the wallet really was busy
    expect(worstGap).toBeLessThan(400); // and this side was not
    await wallet.stop(5_000);
    expect(child.exitCode).toBe(0);
  }, 30_000);
});
