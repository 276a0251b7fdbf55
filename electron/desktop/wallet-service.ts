/**
 * The wallet's side of the utility process: it waits for the main process's `start`
 * message, runs the same server as `purser serve` (startServer), answers requests for
 * login links, and stops cleanly when told. It runs beside the Electron main process, not
 * inside it, so a long synchronous SQLite batch here never freezes the tray, the menus or
 * the window.
 *
 * Written against a port-like interface rather than Electron's `process.parentPort`, so
 * that tests drive it under plain Node with the real server (wallet-process.ts is the
 * two-line entry Electron runs).
 */
import type { RunningServer, StartOptions } from '../api/server';
import { UnsealError, type Sealer } from '../core/chain/sealer';
import {
  describeMessage,
  parseToWallet,
  type FromWallet,
  type StartMessage,
  type ToWallet,
} from './wallet-protocol';

/** What the wallet needs of Electron's ParentPort. */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export interface WalletServiceDeps {
  startServer(options: StartOptions): Promise<RunningServer>;
  /** Ends the process once the server has closed (process.exit in the utility process). */
  exit(code: number): void;
  log?(message: string): void;
}

type SealReply = Extract<ToWallet, { type: 'sealed' }>;

/**
 * Chain keys sealed by the OS key store, which only the main process can reach: each
 * seal or unseal is a round trip over the port. An unseal the key store refuses arrives
 * as an UnsealError, as it would from safeStorage in-process, so the chain service treats
 * both alike (keys stay locked).
 */
export class RemoteSealer implements Sealer {
  readonly kind = 'safe_storage' as const;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve(data: Buffer): void; reject(error: Error): void }
  >();

  constructor(private readonly post: (message: FromWallet) => void) {}

  seal(secret: Buffer): Promise<Buffer> {
    return this.ask('seal', secret);
  }

  unseal(sealed: Buffer): Promise<Buffer> {
    return this.ask('unseal', sealed);
  }

  private ask(op: 'seal' | 'unseal', data: Buffer): Promise<Buffer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ type: 'seal', id, op, data: data.toString('base64') });
    });
  }

  /** The main process's answer to one request. */
  settle(reply: SealReply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (reply.ok) waiter.resolve(Buffer.from(reply.data, 'base64'));
    else waiter.reject(reply.unseal ? new UnsealError(reply.message) : new Error(reply.message));
  }

  /** The main process is going away: nothing more will be answered. */
  failAll(message: string): void {
    for (const waiter of this.waiting.values()) waiter.reject(new UnsealError(message));
    this.waiting.clear();
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function serveWallet(port: ParentPortLike, deps: WalletServiceDeps): void {
  const post = (message: FromWallet) => port.postMessage(message);
  const log = deps.log ?? ((message: string) => console.warn(`Purser wallet: ${message}`));
  let sealer: RemoteSealer | undefined;
  let server: RunningServer | undefined;
  let starting: Promise<void> | undefined;
  let stopping = false;

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await starting?.catch(() => undefined);
    sealer?.failAll('Purser is stopping.');
    try {
      await server?.close();
      post({ type: 'stopped' });
      deps.exit(0);
    } catch (error) {
      log(`could not close cleanly: ${errorMessage(error)}`);
      post({ type: 'stopped' });
      deps.exit(1);
    }
  };

  const start = (message: StartMessage) => {
    if (starting) return log('a second start message was ignored');
    sealer = message.sealer ? new RemoteSealer(post) : undefined;
    starting = deps
      .startServer({
        home: message.home,
        port: message.port,
        ownerToken: message.ownerToken,
        sealer,
        nativeBinding: message.nativeBinding ?? undefined,
        rendererDir: message.rendererDir,
      })
      .then(
        (running) => {
          server = running;
          if (stopping) return;
          post({ type: 'ready', url: running.info.url, port: running.info.port });
        },
        (error: unknown) => {
          post({ type: 'failed', message: errorMessage(error) });
          if (!stopping) {
            stopping = true;
            deps.exit(1);
          }
        },
      );
  };

  port.on('message', ({ data }) => {
    const message = parseToWallet(data);
    if (!message) return log(`refused ${describeMessage(data)} that is not in the protocol`);
    switch (message.type) {
      case 'start':
        return start(message);
      case 'login-link':
        // The link's code is one-time and short-lived; only a running server makes one.
        if (server && !stopping)
          post({ type: 'login-link', id: message.id, url: server.loginUrl(message.label) });
        return;
      case 'sealed':
        return sealer?.settle(message);
      case 'stop':
        return void stop();
    }
  });
}
