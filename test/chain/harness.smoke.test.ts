/**
 * The chain harness end to end, with plain x402 libraries only: a real Hardhat node, a
 * USDC look-alike compiled with solc, an x402 paywall with an in-process facilitator, and an
 * @x402/fetch client paying it from accounts[1].
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from '@x402/core/http';
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import { createPublicClient, erc20Abi } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startHardhatNode, type HardhatNode, type TestAccount } from './hardhat-node';
import { HARDHAT_NETWORK, startPaywall, type Paywall } from './paywall';
import { localTransport } from './transport';
import { deployTestToken, deployUsdc, USDC, type DeployedToken } from './usdc';

const PRICE = 10_000n; // $0.01 in 6-decimal units
const MINTED = 100_000_000n; // 100 USDC

let node: HardhatNode;
let usdc: DeployedToken;
let paywall: Paywall;
let deployer: TestAccount;
let payer: TestAccount;
let merchant: TestAccount;
let facilitator: TestAccount;
let unfunded: TestAccount;

beforeAll(async () => {
  node = await startHardhatNode();
  [deployer, payer, merchant, facilitator, unfunded] = node.accounts as [
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
  ];
  usdc = await deployUsdc(node.rpcUrl, deployer.privateKey);
  await usdc.mint(payer.address, MINTED);
  paywall = await startPaywall({
    rpcUrl: node.rpcUrl,
    usdcAddress: usdc.address,
    payTo: merchant.address,
    price: PRICE,
    facilitatorPrivateKey: facilitator.privateKey,
    network: HARDHAT_NETWORK,
  });
});

afterAll(async () => {
  await paywall?.stop();
  await node?.stop();
});

/** A plain x402 client (no Purser) paying from `account`, opted in to our token. */
function payingFetchFor(account: TestAccount) {
  const client = new x402Client();
  registerExactEvmScheme(client, {
    signer: privateKeyToAccount(account.privateKey),
    networks: [HARDHAT_NETWORK],
  });
  // By default x402Client pays only assets in its default table; ours is opted in.
  client.setSpendControls({ allowedAssets: [{ network: HARDHAT_NETWORK, asset: usdc.address }] });
  return wrapFetchWithPayment(fetch, client);
}

describe('chain harness', () => {
  it('deploys USDC with the domain and decimals x402 signs against', async () => {
    const chain = createPublicClient({ transport: localTransport(node.rpcUrl) });
    const read = (functionName: 'name' | 'decimals') =>
      chain.readContract({ address: usdc.address, abi: erc20Abi, functionName });
    expect(await read('name')).toBe('USDC');
    expect(await read('decimals')).toBe(6);
    expect(await usdc.balanceOf(payer.address)).toBe(MINTED);
  });

  it('deploys a look-alike with other decimals', async () => {
    const wide = await deployTestToken(node.rpcUrl, deployer.privateKey, {
      ...USDC,
      decimals: 18,
    });
    const chain = createPublicClient({ transport: localTransport(node.rpcUrl) });
    expect(
      await chain.readContract({ address: wide.address, abi: erc20Abi, functionName: 'decimals' }),
    ).toBe(18);
    expect(wide.address).not.toBe(usdc.address);
  });

  it('answers an unpaid request with 402 and a PAYMENT-REQUIRED header', async () => {
    const response = await fetch(paywall.url);
    expect(response.status).toBe(402);
    const header = response.headers.get('PAYMENT-REQUIRED');
    expect(header).toBeTruthy();
    const required = decodePaymentRequiredHeader(header ?? '');
    expect(required.x402Version).toBe(2);
    expect(required.accepts).toHaveLength(1);
    expect(required.accepts[0]).toMatchObject({
      scheme: 'exact',
      network: 'eip155:31337',
      asset: usdc.address,
      amount: PRICE.toString(),
      payTo: merchant.address,
      extra: { name: 'USDC', version: '2' },
    });
    expect(paywall.paidCount()).toBe(0);
  });

  it('is paid by a plain x402 client and settles on chain', async () => {
    const payingFetch = payingFetchFor(payer);
    const merchantBefore = await usdc.balanceOf(merchant.address);
    const payerBefore = await usdc.balanceOf(payer.address);
    const response = await payingFetch(paywall.url);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    const settlement = decodePaymentResponseHeader(response.headers.get('PAYMENT-RESPONSE') ?? '');
    expect(settlement).toMatchObject({ success: true, network: 'eip155:31337' });
    expect(settlement.payer?.toLowerCase()).toBe(payer.address.toLowerCase());
    expect(settlement.transaction).toMatch(/^0x[0-9a-f]{64}$/);

    expect(await usdc.balanceOf(merchant.address)).toBe(merchantBefore + PRICE);
    expect(await usdc.balanceOf(payer.address)).toBe(payerBefore - PRICE);
    expect(paywall.paidCount()).toBe(1);
    expect(paywall.settlements()[0]?.transaction).toBe(settlement.transaction);
  });

  it('refuses a payer without USDC and says why (Multicall3 lets the facilitator tell)', async () => {
    const paidBefore = paywall.paidCount();
    const response = await payingFetchFor(unfunded)(paywall.url);
    expect(response.status).toBe(402);
    const required = decodePaymentRequiredHeader(response.headers.get('PAYMENT-REQUIRED') ?? '');
    expect(required.error).toBe('invalid_exact_evm_insufficient_balance');
    expect(paywall.paidCount()).toBe(paidBefore);
  });
});
