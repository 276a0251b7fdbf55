import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../core/clock';
import { randomBase62 } from '../core/ids';
import { OWNER_TOKEN_FILE, SERVER_FILE, ensurePrivateDir, writePrivateFile } from '../core/paths';
import { Wallet, type WalletOptions } from '../core/wallet';
import { DEFAULT_PORT, readServerInfo, type ServerInfo } from '../core/server-info';
import type { Sealer } from '../core/chain/sealer';
import { buildApp } from './app';
import { listenAgentSocket, type OpenListener } from './agent-listeners';
import { agentTlsIdentity, listenAgentTls } from './agent-tls';
import { OwnerSessions } from './owner-sessions';
import { loginUrl } from './ui';

const LOOPBACK = '127.0.0.1';

export interface StartOptions {
  home: string;
  /** 0 picks a free port. */
  port?: number;
  clock?: Clock;
  logger?: boolean;
  commit?: WalletOptions['commit'];
  /**
   * The desktop app passes its own owner secret, which lives only in its memory; then any
   * owner token a headless run left on disk is deleted. Without it (headless) the token is
   * kept in the data folder, 0600, for the CLI.
   */
  ownerToken?: string;
  /** better-sqlite3 built for Electron, when the desktop app runs the server. */
  nativeBinding?: string;
  rendererDir?: string;
  /** Opens the sealed chain keys: a passphrase sealer headless, safe storage on the desktop. */
  sealer?: Sealer;
  /** How often the chain is followed into the ledger (docs/chain.md); default 3 s. */
  chainPollMs?: number;
  /**
   * Also serve the agent API (only) on this Unix socket (docs/trust-model.md, "Agent
   * listeners"), for agents in containers.
   */
  agentSocket?: string;
  /**
   * Also serve the agent API (only) over TLS on this address and port, for agents on other
   * machines; the certificate is made once per data folder and pinned by agents.
   */
  agentListen?: { address: string; port: number };
  /** Tests only: the WAL fsync, to hold or fail the disk. */
  fsync?: WalletOptions['fsync'];
  /**
   * The environment agents' clients are set up from by the window's Connect (the MCP
   * clients' configuration files, Node on PATH); process.env unless a test gives another.
   */
  clientEnv?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  app: FastifyInstance;
  wallet: Wallet;
  info: ServerInfo;
  ownerToken: string;
  sessions: OwnerSessions;
  /** A fresh one-time link that logs a browser into the owner window. */
  loginUrl(label?: string): string;
  close(): Promise<void>;
}

/**
 * The one place that listens. Binds 127.0.0.1 only, writes `server.json` (url, port, pid;
 * 0600) so the CLI can find the server, and undoes all of it on close.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  // A start that fails (a taken port, a wrong passphrase) leaves no data folder behind
  // that it made itself.
  const created = !existsSync(options.home);
  ensurePrivateDir(options.home);
  refuseSecondInstance(options.home);
  const mode = options.ownerToken === undefined ? 'headless' : 'desktop';
  if (mode === 'desktop') rmSync(join(options.home, OWNER_TOKEN_FILE), { force: true });
  const ownerToken = options.ownerToken ?? loadOrCreateOwnerToken(options.home);
  const wallet = Wallet.open({
    home: options.home,
    clock: options.clock,
    commit: options.commit,
    nativeBinding: options.nativeBinding,
    fsync: options.fsync,
  });
  const sessions = new OwnerSessions(() => (options.clock ?? systemClock).now());
  let app: FastifyInstance | undefined;
  const listeners: OpenListener[] = [];
  let tls: Awaited<ReturnType<typeof listenAgentTls>> | undefined;
  try {
    // A wrong passphrase stops the start here, before anything relies on the keys.
    if (options.sealer) await wallet.chain.unlock(options.sealer);
    app = await buildApp({
      wallet,
      ownerToken,
      logger: options.logger,
      rendererDir: options.rendererDir,
      sessions,
      home: options.home,
      ...(options.clientEnv && { clientEnv: options.clientEnv }),
      ...(options.agentSocket !== undefined && { agentSocket: options.agentSocket }),
    });
    await listen(app, options.port ?? DEFAULT_PORT);
    if (options.agentSocket) listeners.push(await listenAgentSocket(app, options.agentSocket));
    if (options.agentListen) {
      tls = await listenAgentTls(app, options.agentListen, await agentTlsIdentity(options.home));
      listeners.push(tls);
    }
  } catch (error) {
    for (const listener of listeners) await listener.close();
    await app?.close();
    await wallet.close();
    if (created) rmSync(options.home, { recursive: true, force: true });
    throw error;
  }
  const started = app;
  const address = started.server.address();
  const port =
    address && typeof address === 'object' ? address.port : (options.port ?? DEFAULT_PORT);
  const info: ServerInfo = {
    url: `http://${LOOPBACK}:${port}`,
    port,
    pid: process.pid,
    mode,
    ...(options.agentSocket ? { agentSocket: options.agentSocket } : {}),
    ...(tls
      ? {
          agentTls: {
            url: tls.url,
            fingerprint256: tls.fingerprint256,
            publicKeyPin: tls.publicKeyPin,
          },
        }
      : {}),
  };
  const serverFile = join(options.home, SERVER_FILE);
  writePrivateFile(serverFile, `${JSON.stringify(info, null, 2)}\n`);
  wallet.startSweeper();
  wallet.chain.startWatching(options.chainPollMs ?? 3000);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const listener of listeners) await listener.close();
      await started.close();
      await wallet.close();
      if (readServerInfo(options.home)?.pid === process.pid) rmSync(serverFile, { force: true });
    })());
  return {
    app: started,
    wallet,
    info,
    ownerToken,
    sessions,
    loginUrl: (label) => loginUrl(info.url, sessions, label),
    close,
  };
}

/** Listens on loopback; a taken port is said in words a newcomer can act on. */
async function listen(app: FastifyInstance, port: number): Promise<void> {
  try {
    await app.listen({ host: LOOPBACK, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `Port ${port} on ${LOOPBACK} is taken (by another program, or another Purser with another data folder). ` +
        'Start with --port N (or PURSER_PORT=N; 0 picks a free port). Nothing was started.',
      { cause: error },
    );
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Two servers on one database would each keep their own rate limits and waiters. */
function refuseSecondInstance(home: string): void {
  const info = readServerInfo(home);
  if (info && info.pid !== process.pid && processAlive(info.pid)) {
    throw new Error(`Purser is already running for ${home} (pid ${info.pid}, ${info.url}).`);
  }
}

/** The owner token for headless mode: created once, 0600, reused across restarts. */
export function loadOrCreateOwnerToken(home: string): string {
  const file = join(home, OWNER_TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (/^pot_[0-9A-Za-z]{40}$/.test(token)) return token;
  }
  const token = `pot_${randomBase62(40)}`;
  writePrivateFile(file, `${token}\n`);
  return token;
}
