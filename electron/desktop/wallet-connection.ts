/**
 * The main process's side of the wallet's utility process: start it with the owner's
 * secret, wait until it listens, ask it for login links, seal and unseal chain keys for
 * it with the OS key store, stop it. Written against a child-like interface, not
 * Electron's UtilityProcess, so that the tests connect it to wallet-service.ts (and the
 * real server) under Node.
 */
import { UnsealError, type Sealer } from '../core/chain/sealer';
import {
  describeMessage,
  parseFromWallet,
  type FromWallet,
  type StartMessage,
  type ToWallet,
} from './wallet-protocol';

/** What the connection needs of Electron's UtilityProcess. */
export interface WalletChild {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface WalletReady {
  url: string;
  port: number;
}

type Waiter<T> = { resolve(value: T): void; reject(error: Error): void };

export class WalletConnection {
  /** Settles once: the wallet listens, or it failed (or exited) before it did. */
  readonly ready: Promise<WalletReady>;
  private readyWaiter!: Waiter<WalletReady>;
  private readonly links = new Map<number, Waiter<string>>();
  private readonly exitListeners: Array<(code: number, expected: boolean) => void> = [];
  private nextId = 0;
  private exited: number | undefined;
  private stopping: Promise<void> | undefined;
  private stopped: (() => void) | undefined;

  constructor(
    private readonly child: WalletChild,
    private readonly sealer: Sealer | undefined,
    private readonly log: (message: string) => void = (m) => console.warn(`Purser: ${m}`),
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.readyWaiter = { resolve, reject };
    });
    // A failed start is also reported through `ready`; nobody need await it twice.
    this.ready.catch(() => undefined);
    child.on('message', (message) => this.receive(message));
    child.on('exit', (code) => this.exitedWith(code));
  }

  /** Sends the start message: the only time the owner's secret leaves this process. */
  start(message: Omit<StartMessage, 'type' | 'sealer'>): Promise<WalletReady> {
    this.send({ type: 'start', ...message, sealer: this.sealer !== undefined });
    return this.ready;
  }

  /** A fresh one-time login link for the window, labelled in the owner's session list. */
  loginLink(label: string): Promise<string> {
    if (this.exited !== undefined || this.stopping)
      return Promise.reject(new Error('The wallet is not running.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.links.set(id, { resolve, reject });
      this.send({ type: 'login-link', id, label });
    });
  }

  /**
   * Asks the wallet to close (the server stops taking requests, the database closes) and
   * waits for it to exit; after `timeoutMs` it is killed.
   */
  stop(timeoutMs = 10_000): Promise<void> {
    if (this.exited !== undefined) return Promise.resolve();
    this.stopping ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.log('the wallet did not stop in time; ending it');
        this.child.kill();
      }, timeoutMs);
      this.stopped = () => {
        clearTimeout(timer);
        resolve();
      };
      this.send({ type: 'stop' });
    });
    return this.stopping;
  }

  /** Called when the wallet's process ends; `expected`: it followed stop(). */
  onExit(listener: (code: number, expected: boolean) => void): void {
    this.exitListeners.push(listener);
  }

  private exitedWith(code: number): void {
    this.exited = code;
    const error = new Error(`The wallet exited (code ${code}).`);
    this.readyWaiter.reject(error);
    for (const waiter of this.links.values()) waiter.reject(error);
    this.links.clear();
    this.stopped?.();
    for (const listener of this.exitListeners) listener(code, this.stopping !== undefined);
  }

  private send(message: ToWallet): void {
    if (this.exited === undefined) this.child.postMessage(message);
  }

  private receive(raw: unknown): void {
    const message = parseFromWallet(raw);
    if (!message) return this.log(`refused ${describeMessage(raw)} from the wallet`);
    switch (message.type) {
      case 'ready':
        return this.readyWaiter.resolve({ url: message.url, port: message.port });
      case 'failed':
        return this.readyWaiter.reject(new Error(message.message));
      case 'login-link': {
        const waiter = this.links.get(message.id);
        this.links.delete(message.id);
        return waiter?.resolve(message.url);
      }
      case 'seal':
        return void this.seal(message);
      case 'stopped':
        return;
    }
  }

  private async seal(message: Extract<FromWallet, { type: 'seal' }>): Promise<void> {
    const { id } = message;
    if (!this.sealer) {
      this.send({
        type: 'sealed',
        id,
        ok: false,
        unseal: true,
        message: 'The OS key store is not available; chain keys stay locked.',
      });
      return;
    }
    try {
      const input = Buffer.from(message.data, 'base64');
      const output =
        message.op === 'seal' ? await this.sealer.seal(input) : await this.sealer.unseal(input);
      this.send({ type: 'sealed', id, ok: true, data: output.toString('base64') });
    } catch (error) {
      this.send({
        type: 'sealed',
        id,
        ok: false,
        unseal: error instanceof UnsealError,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/**
 * Whether to start the wallet again after it exited unexpectedly: at most `max` restarts
 * within `windowMs`, so that a wallet that cannot start (a broken database, a port taken)
 * is reported instead of restarted forever.
 */
export function shouldRestart(
  recentRestarts: readonly number[],
  now: number,
  max = 3,
  windowMs = 60_000,
): boolean {
  return recentRestarts.filter((t) => now - t < windowMs).length < max;
}
