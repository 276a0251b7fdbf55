/**
 * `npm run chain:dev`: a local chain to try on-chain enforcement by hand — a Hardhat node
 * on 127.0.0.1, the test USDC (OpenZeppelin ERC-3009, 6 decimals, "USDC" version "2"), an
 * x402 paywall, a metered x402 `upto` paywall, an MPP server (mppx, the evm charge method), and $1,000 of USDC in a Hardhat
 * account for the owner. Prints the Purser
 * commands to run next; stops on Ctrl-C. Nothing here reaches the internet.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHardhatNode } from './hardhat-node';
import { startMppServer } from './mpp-server';
import { HARDHAT_NETWORK, startPaywall } from './paywall';
import { deployUsdc } from './usdc';

const node = await startHardhatNode();
const [deployer, , merchant, facilitator, settler, owner, , meter] = node.accounts;
if (!deployer || !merchant || !facilitator || !settler || !owner || !meter)
  throw new Error('hardhat gave too few accounts');
const usdc = await deployUsdc(node.rpcUrl, deployer.privateKey);
await usdc.mint(owner.address, 1_000_000_000n);
const paywall = await startPaywall({
  rpcUrl: node.rpcUrl,
  usdcAddress: usdc.address,
  payTo: merchant.address,
  price: 10_000n, // $0.01
  facilitatorPrivateKey: facilitator.privateKey,
  network: HARDHAT_NETWORK,
});
// x402 upto: the agent signs for at most $0.05, the merchant settles the $0.02 it used.
const metered = await startPaywall({
  rpcUrl: node.rpcUrl,
  usdcAddress: usdc.address,
  payTo: merchant.address,
  price: 50_000n,
  facilitatorPrivateKey: meter.privateKey,
  network: HARDHAT_NETWORK,
  path: '/metered',
  upto: { charge: 20_000n },
});
const mpp = await startMppServer({
  rpcUrl: node.rpcUrl,
  usdcAddress: usdc.address,
  payTo: merchant.address,
  amount: '0.01',
  settlerPrivateKey: settler.privateKey,
});
// A Hardhat test key, public knowledge: for this throwaway chain only.
const keyFile = join(mkdtempSync(join(tmpdir(), 'purser-dev-chain-')), 'owner-key');
writeFileSync(keyFile, `${owner.privateKey}\n`, { mode: 0o600 });

process.stdout.write(
  `A local chain is running (Ctrl-C stops it):
  RPC:     ${node.rpcUrl}  (chain id 31337)
  USDC:    ${usdc.address}
  owner:   ${owner.address}, holding $1,000 (its Hardhat test key is in ${keyFile})
  paywall: ${paywall.url}  ($0.01 a request, x402 v2)
  metered: ${metered.url}  (at most $0.05, charges $0.02 a request, x402 upto)
  mpp:     ${mpp.url}  ($0.01 a request, MPP evm charge)

Then, with purser serve running with PURSER_PASSPHRASE set:
  purser chain set local --rpc ${node.rpcUrl} --chain-id 31337 --usdc ${usdc.address} --usdc-decimals 6 --usdc-name USDC --usdc-version 2
  purser chain owner --import-key-file ${keyFile}
`,
);
const stop = async () => {
  await paywall.stop();
  await metered.stop();
  await mpp.close();
  await node.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
