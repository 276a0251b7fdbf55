/**
 * The guarded signer is the last check before a Purser-held key signs (docs/chain.md,
 * "Signing"): whatever the x402 package hands it, it signs only the EIP-3009 transfer that
 * was reserved, to its payee, for its amount, in the configured token's domain. Each
 * refusal below is one field of the typed data changed from the good message; the good
 * message itself signs, so a refusal is never the signer refusing everything.
 * No chain is needed: the key is generated here.
 */
import { describe, expect, it } from 'vitest';
import type { PaymentRequired, PaymentRequirements } from '@x402/core/types';
import { decodePaymentSignatureHeader } from '@x402/core/http';
import { getAddress, verifyTypedData, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { LOCAL_CHAIN } from './local-chain';
import type { X402Payment } from '../../../electron/core/rails/x402/x402-payment-repository';
import {
  guardedSigner,
  signReserved,
  SignRefused,
} from '../../../electron/core/rails/x402/x402-signer';

const chain = LOCAL_CHAIN;
const PAY_TO: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const ELSEWHERE: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const UNITS = 250_000n;

const account = privateKeyToAccount(generatePrivateKey());

const requirement = (payTo: Address = PAY_TO): PaymentRequirements =>
  ({
    scheme: 'exact',
    network: 'eip155:31337',
    asset: chain.usdc.address,
    amount: UNITS.toString(),
    payTo,
    maxTimeoutSeconds: 300,
    extra: { name: 'USDC', version: '2' },
  }) as PaymentRequirements;

function payment(over: Partial<X402Payment> = {}): X402Payment {
  const req = requirement();
  return {
    id: 'x402_test',
    protocol: 'x402',
    agentId: 'agt_test',
    spendRequestId: 'req_test',
    chain: 'local',
    network: 'eip155:31337',
    asset: chain.usdc.address,
    payTo: PAY_TO,
    payer: account.address,
    units: UNITS,
    micros: UNITS,
    resourceUrl: 'http://127.0.0.1:1/paid',
    x402Version: 2,
    paymentRequired: {
      x402Version: 2,
      resource: { url: 'http://127.0.0.1:1/paid' },
      accepts: [req],
    } as unknown as PaymentRequired,
    requirement: req,
    status: 'reserved',
    nonce: null,
    validBefore: null,
    header: null,
    txHash: null,
    settledUnits: null,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

/** The typed data the exact scheme builds for the reserved payment, as it builds it. */
function goodTypedData() {
  const now = Math.floor(Date.now() / 1000);
  return {
    domain: {
      name: chain.usdc.name,
      version: chain.usdc.version,
      chainId: chain.chainId,
      verifyingContract: chain.usdc.address,
    } as Record<string, unknown>,
    types: {
      TransferWithAuthorization: [
        { name: 'from', type: 'address' },
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'validAfter', type: 'uint256' },
        { name: 'validBefore', type: 'uint256' },
        { name: 'nonce', type: 'bytes32' },
      ],
    } as Record<string, unknown>,
    primaryType: 'TransferWithAuthorization',
    message: {
      from: account.address,
      to: PAY_TO,
      value: UNITS,
      validAfter: BigInt(now - 600),
      validBefore: BigInt(now + 300),
      nonce: `0x${'ab'.repeat(32)}`,
    } as Record<string, unknown>,
  };
}

const signer = () => guardedSigner(account, payment(), chain);

describe('guardedSigner', () => {
  it('signs the reserved transfer, and the signature is the payer’s', async () => {
    const data = goodTypedData();
    const signature = await signer().signTypedData(data);
    expect(signature).toMatch(/^0x[0-9a-f]{130}$/);
    const valid = await verifyTypedData({
      ...(data as unknown as Omit<Parameters<typeof verifyTypedData>[0], 'address' | 'signature'>),
      address: account.address,
      signature,
    });
    expect(valid).toBe(true);
  });

  it('refuses a transfer to another payee than the payment’s payTo', () => {
    const data = goodTypedData();
    data.message.to = ELSEWHERE;
    expect(() => signer().signTypedData(data)).toThrow(SignRefused);
    expect(() => signer().signTypedData(data)).toThrow(/another payee/);
  });

  it('compares the payee as an address, not as text: a lower-case payTo is the same payee', async () => {
    const data = goodTypedData();
    data.message.to = PAY_TO.toLowerCase();
    await expect(signer().signTypedData(data)).resolves.toMatch(/^0x/);
  });

  it.each<[string, (d: ReturnType<typeof goodTypedData>) => void, RegExp]>([
    ['another amount', (d) => void (d.message.value = UNITS + 1n), /another amount/],
    ['another payer', (d) => void (d.message.from = ELSEWHERE), /another payer/],
    ['another chain', (d) => void (d.domain.chainId = 8453), /another chain/],
    ['another token', (d) => void (d.domain.verifyingContract = ELSEWHERE), /another token/],
    ['another domain name', (d) => void (d.domain.name = 'USD Coin'), /EIP-712 domain/],
    ['another domain version', (d) => void (d.domain.version = '1'), /EIP-712 domain/],
    [
      'a validBefore past the longest timeout',
      (d) => void (d.message.validBefore = BigInt(Math.floor(Date.now() / 1000) + 3_600)),
      /valid for too long/,
    ],
    [
      'another primary type',
      (d) => {
        d.primaryType = 'ReceiveWithAuthorization';
        d.types = { ReceiveWithAuthorization: d.types.TransferWithAuthorization };
      },
      /not a TransferWithAuthorization/,
    ],
  ])('refuses %s', (_name, change, reason) => {
    const data = goodTypedData();
    change(data);
    expect(() => signer().signTypedData(data)).toThrow(SignRefused);
    expect(() => signer().signTypedData(data)).toThrow(reason);
  });
});

describe('signReserved through the x402 exact scheme', () => {
  it('signs the reserved requirement: the authorization pays payTo the reserved units', async () => {
    const signed = await signReserved(account, payment(), chain);
    expect(signed.headerName).toBe('PAYMENT-SIGNATURE');
    const payload = decodePaymentSignatureHeader(signed.header);
    const auth = (payload.payload as { authorization: Record<string, string> }).authorization;
    expect(getAddress(auth.to as Address)).toBe(PAY_TO);
    expect(getAddress(auth.from as Address)).toBe(account.address);
    expect(BigInt(auth.value as string)).toBe(UNITS);
    expect(auth.nonce).toBe(signed.nonce);
  });

  it('refuses when the requirement handed to the scheme pays someone the payment does not', async () => {
    // The reservation says PAY_TO, but the requirement (what the scheme builds from) says
    // ELSEWHERE: only the signer's payee check stands between them.
    const req = requirement(ELSEWHERE);
    const p = payment({
      requirement: req,
      paymentRequired: {
        x402Version: 2,
        resource: { url: 'http://127.0.0.1:1/paid' },
        accepts: [req],
      } as unknown as PaymentRequired,
    });
    await expect(signReserved(account, p, chain)).rejects.toThrow(/another payee/);
  });
});
