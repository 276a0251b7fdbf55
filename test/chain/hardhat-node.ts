import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createPublicClient, toHex, type Address, type Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { installCanonicalContracts } from './canonical-contracts';
import { localTransport } from './transport';

/** The well-known Hardhat mnemonic; hardhat.config.cjs gives the node the same one. */
export const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';
/** Must match `accounts.count` in hardhat.config.cjs. */
export const HARDHAT_ACCOUNT_COUNT = 10;
export const HARDHAT_CHAIN_ID = 31337;

export interface TestAccount {
  address: Address;
  privateKey: Hex;
}

export interface HardhatNode {
  rpcUrl: string;
  chainId: typeof HARDHAT_CHAIN_ID;
  /** Funded with 10 000 ETH each; accounts[0] is the deployer/owner. */
  accounts: readonly TestAccount[];
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const hardhatCli = fileURLToPath(
  new URL('../../node_modules/hardhat/internal/cli/cli.js', import.meta.url),
);
const hardhatConfig = fileURLToPath(new URL('./hardhat.config.cjs', import.meta.url));
const exitWithParent = fileURLToPath(new URL('./exit-with-parent.cjs', import.meta.url));

let derived: TestAccount[] | undefined;

/** The node's accounts, derived from the mnemonic (BIP-44 m/44'/60'/0'/0/i, as Hardhat does). */
export function hardhatAccounts(): readonly TestAccount[] {
  derived ??= Array.from({ length: HARDHAT_ACCOUNT_COUNT }, (_, addressIndex) => {
    const account = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex });
    const key = account.getHdKey().privateKey;
    if (!key) throw new Error('HD key without a private key');
    return { address: account.address, privateKey: toHex(key) };
  });
  return derived;
}

// Every node this process started, so an exit without stop() still kills them.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port the OS just gave out: listen on 0, read it, close. Raced only by other processes. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function startOnce(timeoutMs: number): Promise<HardhatNode> {
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      '--require',
      exitWithParent,
      hardhatCli,
      'node',
      '--hostname',
      '127.0.0.1',
      '--port',
      String(port),
      '--config',
      hardhatConfig,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
        // Hardhat skips analytics, the version notifier and its banner fetch on CI.
        CI: 'true',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
      // stdin is the lifeline for exit-with-parent.cjs; stdout must be drained (the node logs
      // every RPC call) or it blocks once the pipe fills.
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  let tail = '';
  const keepTail = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    running.delete(child);
  });

  const client = createPublicClient({ transport: localTransport(rpcUrl) });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`hardhat node exited before it answered:\n${tail}`);
    let chainId: number | undefined;
    try {
      chainId = await client.getChainId();
    } catch {
      // not listening yet
    }
    if (chainId !== undefined) {
      if (chainId === HARDHAT_CHAIN_ID) break;
      await stopChild(child);
      throw new Error(`hardhat node answered chain id ${chainId}, expected ${HARDHAT_CHAIN_ID}`);
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`hardhat node did not answer eth_chainId within ${timeoutMs} ms:\n${tail}`);
    }
    await sleep(100);
  }

  try {
    await installCanonicalContracts(rpcUrl);
  } catch (error) {
    await stopChild(child);
    throw error;
  }

  return {
    rpcUrl,
    chainId: HARDHAT_CHAIN_ID,
    accounts: hardhatAccounts(),
    stop: () => stopChild(child),
  };
}

/**
 * Starts the real Hardhat 2 node on a free 127.0.0.1 port and waits until it answers
 * `eth_chainId`, then puts Multicall3, Permit2 and x402's upto proxy at their canonical
 * addresses as on real chains (see canonical-contracts.ts). Retries with a new port if the node dies first (another process took it).
 */
export async function startHardhatNode(options: { timeoutMs?: number } = {}): Promise<HardhatNode> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(timeoutMs);
    } catch (error) {
      lastError = error;
      if (!(error instanceof Error) || !error.message.startsWith('hardhat node exited')) break;
    }
  }
  throw lastError;
}
