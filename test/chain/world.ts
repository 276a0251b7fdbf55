/**
 * A whole on-chain world for Purser's tests: a real Hardhat node, the USDC look-alike, an
 * x402 paywall with its facilitator, and a Purser server with its keys sealed by a
 * passphrase, its local chain configured and the owner's account imported.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, erc20Abi, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { decodePaymentRequiredHeader } from '@x402/core/http';
import Database from 'better-sqlite3';
import { PassphraseSealer } from '../../electron/core/chain/sealer';
import { startTestServer, type TestServer } from '../helpers/server';
import type { PolicyInput } from '../../shared/schemas/policy';
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
  stop(): Promise<void>;
}

export async function startChainWorld(price = PRICE): Promise<ChainWorld> {
  const node = await startHardhatNode();
  const [deployer, , merchant, facilitator, , owner, external] = node.accounts as TestAccount[];
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

/** A Purser server on this chain: local chain configured, the owner's account imported. */
export async function purserOn(w: ChainWorld, home?: string): Promise<TestServer> {
  const t = await startTestServer({
    now: Date.now(),
    ...(home === undefined ? {} : { home }),
    sealer: new PassphraseSealer(PASSPHRASE),
    // The tests drive reconciliation through POST /admin/v1/chain/sync.
    chainPollMs: 3_600_000,
  });
  expectOk(await t.owner('PUT', '/admin/v1/chain/chains/local', localChainBody(w)));
  expectOk(
    await t.owner('PUT', '/admin/v1/chain/owner-account', { private_key: w.owner.privateKey }),
  );
  return t;
}

export function expectOk<T extends { status: number; body: unknown }>(r: T): T {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
}

/** An agent with a Purser-held wallet, funded on chain by the owner. */
export async function walletAgent(
  t: TestServer,
  policy: Partial<PolicyInput> = {},
  fundCents = 1_000,
) {
  const made = await t.newAgent({ budget_cents: 100, ...policy });
  const wallet = expectOk(
    await t.owner<{ address: Address }>('POST', `/admin/v1/agents/${made.agent.id}/wallet`),
  );
  if (fundCents > 0)
    expectOk(
      await t.owner('POST', `/admin/v1/agents/${made.agent.id}/wallet/fund`, {
        amount_cents: fundCents,
      }),
    );
  return { ...made, address: wallet.body.address };
}

/** The paywall's 402: its PAYMENT-REQUIRED header, as an agent would receive it. */
export async function paymentRequiredOf(url: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 402) throw new Error(`expected 402, got ${response.status}`);
  const header = response.headers.get('payment-required');
  if (!header) throw new Error('no PAYMENT-REQUIRED header');
  return header;
}

export const decoded = (header: string) => decodePaymentRequiredHeader(header);

/** Asks Purser to pay: the agent's side of the 402 → pay → retry dance. */
export function pay(
  t: TestServer,
  key: string,
  url: string,
  paymentRequired: string | Record<string, unknown>,
  idempotencyKey: string,
  extra: Record<string, unknown> = {},
) {
  return t.agent<Record<string, unknown>>(
    key,
    'POST',
    '/v1/x402/pay',
    { resource_url: url, payment_required: paymentRequired, ...extra },
    { 'idempotency-key': idempotencyKey },
  );
}

/** Sends the paid request with the signature Purser returned. */
export async function fetchPaid(url: string, headerName: string, signature: string) {
  const response = await fetch(url, { headers: { [headerName]: signature } });
  return { status: response.status, body: await response.text() };
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

export async function sync(t: TestServer) {
  return expectOk(
    await t.owner<{ reports: Record<string, number>[] }>('POST', '/admin/v1/chain/sync'),
  ).body.reports;
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
