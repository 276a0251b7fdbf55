/**
 * A whole on-chain world for Purser's tests: a real Hardhat node, the USDC look-alike with
 * $1,000 in the owner's account, and an x402 paywall with its facilitator. Free of Vitest,
 * so that Playwright specs can use it too; test/chain/world.ts adds a Purser server on it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, erc20Abi, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { decodePaymentRequiredHeader } from '@x402/core/http';
import Database from 'better-sqlite3';
import { PassphraseSealer } from '../../electron/core/chain/sealer';
import { startHardhatNode, type HardhatNode, type TestAccount } from './hardhat-node';
import { HARDHAT_NETWORK, startPaywall, type Paywall } from './paywall';
import { localTransport } from './transport';
import { deployUsdc, type DeployedToken } from './usdc';

export const PASSPHRASE = 'correct horse battery staple';
export const PRICE = 250_000n; // $0.25

export interface ChainWorld {
  node: HardhatNode;
  usdc: DeployedToken;
  paywall: Paywall;
  deployer: TestAccount;
  merchant: TestAccount;
  facilitator: TestAccount;
  owner: TestAccount;
  /** An agent that holds its own key (the allowance mode). */
  external: TestAccount;
  /** Two more accounts nobody else uses (more self-custody agents). */
  spares: readonly [TestAccount, TestAccount];
  stop(): Promise<void>;
}

export async function startChainWorld(price = PRICE): Promise<ChainWorld> {
  const node = await startHardhatNode();
  const [deployer, spareB, merchant, facilitator, spareA, owner, external] =
    node.accounts as TestAccount[];
  const usdc = await deployUsdc(node.rpcUrl, (deployer as TestAccount).privateKey);
  await usdc.mint((owner as TestAccount).address, 1_000_000_000n); // $1,000
  const paywall = await startPaywall({
    rpcUrl: node.rpcUrl,
    usdcAddress: usdc.address,
    payTo: (merchant as TestAccount).address,
    price,
    facilitatorPrivateKey: (facilitator as TestAccount).privateKey,
    network: HARDHAT_NETWORK,
  });
  return {
    node,
    usdc,
    paywall,
    deployer: deployer as TestAccount,
    merchant: merchant as TestAccount,
    facilitator: facilitator as TestAccount,
    owner: owner as TestAccount,
    external: external as TestAccount,
    spares: [spareA as TestAccount, spareB as TestAccount],
    async stop() {
      await paywall.stop();
      await node.stop();
    },
  };
}

/** The body of PUT /admin/v1/chain/chains/local for this world. */
export const localChainBody = (w: ChainWorld) => ({
  rpc_url: w.node.rpcUrl,
  chain_id: 31337,
  usdc_address: w.usdc.address,
  usdc_decimals: 6,
  usdc_name: 'USDC',
  usdc_version: '2',
});

/** The paywall's 402: its PAYMENT-REQUIRED header, as an agent would receive it. */
export async function paymentRequiredOf(url: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 402) throw new Error(`expected 402, got ${response.status}`);
  const header = response.headers.get('payment-required');
  if (!header) throw new Error('no PAYMENT-REQUIRED header');
  return header;
}

export const decoded = (header: string) => decodePaymentRequiredHeader(header);

/** Sends the paid request with the signature Purser returned. */
export async function fetchPaid(url: string, headerName: string, signature: string) {
  const response = await fetch(url, { headers: { [headerName]: signature } });
  return { status: response.status, body: await response.text() };
}

/** What the token says `owner` lets `spender` move, in units. */
export function allowanceOf(w: ChainWorld, owner: Address, spender: Address): Promise<bigint> {
  return createPublicClient({ transport: localTransport(w.node.rpcUrl) }).readContract({
    address: w.usdc.address,
    abi: erc20Abi,
    functionName: 'allowance',
    args: [owner, spender],
  });
}

export function balanceOf(w: ChainWorld, address: Address): Promise<bigint> {
  return createPublicClient({ transport: localTransport(w.node.rpcUrl) }).readContract({
    address: w.usdc.address,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [address],
  });
}

/** A token call from an account the test holds (the external agent, say). */
export async function callToken(
  w: ChainWorld,
  from: TestAccount,
  functionName: 'transferFrom' | 'transfer',
  args: readonly unknown[],
): Promise<Hex> {
  const account = privateKeyToAccount(from.privateKey);
  const wallet = createWalletClient({ account, transport: localTransport(w.node.rpcUrl) });
  const pub = createPublicClient({ transport: localTransport(w.node.rpcUrl) });
  const hash = await wallet.writeContract({
    address: w.usdc.address,
    abi: erc20Abi,
    functionName,
    args: args as never,
    chain: null,
    gas: 200_000n,
  });
  const receipt = await pub.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`reverted: ${hash}`);
  return hash;
}

/**
 * Every private key Purser holds, opened with the passphrase, and the owner's imported
 * key; then every file in the data folder (database, WAL, logs) is searched for each in
 * every encoding it could be written in.
 */
export async function findLeakedKeys(home: string, extraText: string[] = [], known: Hex[] = []) {
  const db = new Database(join(home, 'purser.db'), { readonly: true, fileMustExist: true });
  const rows = db
    .prepare('SELECT sealed_key FROM chain_accounts WHERE sealed_key IS NOT NULL')
    .all() as {
    sealed_key: Buffer;
  }[];
  db.close();
  const sealer = new PassphraseSealer(PASSPHRASE);
  const keys: Buffer[] = known.map((k) => Buffer.from(k.slice(2), 'hex'));
  for (const r of rows) keys.push(await sealer.unseal(r.sealed_key));
  const haystacks: { name: string; bytes: Buffer }[] = extraText.map((text, i) => ({
    name: `log ${i}`,
    bytes: Buffer.from(text),
  }));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else haystacks.push({ name: path, bytes: readFileSync(path) });
    }
  };
  walk(home);
  const leaks: string[] = [];
  for (const key of keys) {
    const hex = key.toString('hex');
    const needles = [
      key,
      Buffer.from(hex),
      Buffer.from(hex.toUpperCase()),
      Buffer.from(key.toString('base64')),
      Buffer.from(key.toString('base64url')),
    ];
    for (const h of haystacks) {
      if (needles.some((n) => h.bytes.includes(n))) leaks.push(`${h.name} holds a private key`);
    }
  }
  return { leaks, keysChecked: keys.length, filesChecked: haystacks.length };
}
