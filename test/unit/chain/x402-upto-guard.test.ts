/**
 * The guarded signer for x402 `upto` (docs/chain.md, "x402 upto"): a Purser-held key signs
 * only the Permit2 witness transfer that was reserved: at most the reserved maximum, of the
 * configured USDC, through x402's upto proxy, to the payee, for the facilitator the
 * requirement names, in Permit2's domain on this chain, briefly. Each refusal is one field
 * changed from the message @x402/evm's upto client builds; that message itself signs.
 */
import { describe, expect, it } from 'vitest';
import type { PaymentRequired, PaymentRequirements } from '@x402/core/types';
import { decodePaymentSignatureHeader } from '@x402/core/http';
import { getAddress, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { LOCAL_CHAIN } from './local-chain';
import type { X402Payment } from '../../../electron/core/rails/x402/x402-payment-repository';
import {
  guardedSigner,
  signReserved,
  SignRefused,
} from '../../../electron/core/rails/x402/x402-signer';
import {
  PERMIT2,
  permit2NonceHex,
  UPTO_PROXY,
  uptoNoncesOf,
} from '../../../electron/core/rails/x402/x402-upto';
import { encodeFunctionData } from 'viem';
import { x402UptoPermit2ProxyABI } from '@x402/evm';

const chain = LOCAL_CHAIN;
const PAY_TO: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const FACILITATOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const ELSEWHERE: Address = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
const MAX = 500_000n;
const account = privateKeyToAccount(generatePrivateKey());

const requirement = (over: Record<string, unknown> = {}): PaymentRequirements =>
  ({
    scheme: 'upto',
    network: 'eip155:31337',
    asset: chain.usdc.address,
    amount: MAX.toString(),
    payTo: PAY_TO,
    maxTimeoutSeconds: 300,
    extra: { facilitatorAddress: FACILITATOR },
    ...over,
  }) as PaymentRequirements;

function payment(req = requirement()): X402Payment {
  return {
    id: 'x402_upto',
    protocol: 'x402',
    agentId: 'agt_test',
    spendRequestId: 'req_test',
    chain: 'local',
    network: 'eip155:31337',
    asset: chain.usdc.address,
    payTo: PAY_TO,
    payer: account.address,
    units: MAX,
    micros: MAX,
    resourceUrl: 'http://127.0.0.1:1/metered',
    x402Version: 2,
    paymentRequired: {
      x402Version: 2,
      resource: { url: 'http://127.0.0.1:1/metered' },
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
  };
}

function goodTypedData() {
  const now = Math.floor(Date.now() / 1000);
  return {
    domain: { name: 'Permit2', chainId: chain.chainId, verifyingContract: PERMIT2 } as Record<
      string,
      unknown
    >,
    types: {
      PermitWitnessTransferFrom: [
        { name: 'permitted', type: 'TokenPermissions' },
        { name: 'spender', type: 'address' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
        { name: 'witness', type: 'Witness' },
      ],
      TokenPermissions: [
        { name: 'token', type: 'address' },
        { name: 'amount', type: 'uint256' },
      ],
      Witness: [
        { name: 'to', type: 'address' },
        { name: 'facilitator', type: 'address' },
        { name: 'validAfter', type: 'uint256' },
      ],
    } as Record<string, unknown>,
    primaryType: 'PermitWitnessTransferFrom',
    message: {
      permitted: { token: chain.usdc.address, amount: MAX } as Record<string, unknown>,
      spender: UPTO_PROXY as string,
      nonce: 7n,
      deadline: BigInt(now + 300),
      witness: { to: PAY_TO, facilitator: FACILITATOR, validAfter: 0n } as Record<string, unknown>,
    },
  };
}

const signer = () => guardedSigner(account, payment(), chain);

describe('guardedSigner for upto', () => {
  it('signs the reserved Permit2 witness transfer', async () => {
    await expect(signer().signTypedData(goodTypedData())).resolves.toMatch(/^0x[0-9a-f]{130}$/);
  });

  it.each<[string, (d: ReturnType<typeof goodTypedData>) => void, RegExp]>([
    ['a larger maximum', (d) => void (d.message.permitted.amount = MAX + 1n), /another amount/],
    ['another token', (d) => void (d.message.permitted.token = ELSEWHERE), /another token/],
    ['another spender', (d) => void (d.message.spender = ELSEWHERE), /another spender/],
    ['another payee', (d) => void (d.message.witness.to = ELSEWHERE), /another payee/],
    [
      'another facilitator',
      (d) => void (d.message.witness.facilitator = ELSEWHERE),
      /another facilitator/,
    ],
    ['another chain', (d) => void (d.domain.chainId = 8453), /another chain/],
    [
      'another verifying contract',
      (d) => void (d.domain.verifyingContract = ELSEWHERE),
      /not Permit2/,
    ],
    ['another domain name', (d) => void (d.domain.name = 'Permit3'), /EIP-712 domain/],
    [
      'a deadline past the longest timeout',
      (d) => void (d.message.deadline = BigInt(Math.floor(Date.now() / 1000) + 3_600)),
      /valid for too long/,
    ],
    [
      'an EIP-3009 transfer instead',
      (d) => void (d.primaryType = 'TransferWithAuthorization'),
      /not a Permit2 witness transfer/,
    ],
    [
      'an EIP-2612 permit (a gas-sponsoring extension)',
      (d) => void (d.primaryType = 'Permit'),
      /not a Permit2 witness transfer/,
    ],
  ])('refuses %s', (_name, change, reason) => {
    const data = goodTypedData();
    change(data);
    expect(() => signer().signTypedData(data)).toThrow(SignRefused);
    expect(() => signer().signTypedData(data)).toThrow(reason);
  });
});

describe('signReserved through the x402 upto scheme', () => {
  it('signs a Permit2 witness transfer of the maximum to payTo, and keeps its nonce and deadline', async () => {
    const signed = await signReserved(account, payment(), chain);
    const payload = decodePaymentSignatureHeader(signed.header);
    const auth = (
      payload.payload as {
        permit2Authorization: {
          from: string;
          spender: string;
          nonce: string;
          deadline: string;
          permitted: { amount: string };
          witness: { to: string; facilitator: string };
        };
      }
    ).permit2Authorization;
    expect(getAddress(auth.from)).toBe(account.address);
    expect(getAddress(auth.spender)).toBe(UPTO_PROXY);
    expect(BigInt(auth.permitted.amount)).toBe(MAX);
    expect(getAddress(auth.witness.to)).toBe(PAY_TO);
    expect(getAddress(auth.witness.facilitator)).toBe(FACILITATOR);
    expect(signed.nonce).toBe(permit2NonceHex(auth.nonce));
    expect(signed.validBefore).toBe(Number(auth.deadline));
  });

  it('refuses when the requirement names another payee than the reservation', async () => {
    const req = requirement({ payTo: ELSEWHERE });
    await expect(signReserved(account, { ...payment(req), payTo: PAY_TO }, chain)).rejects.toThrow(
      /another payee/,
    );
  });
});

describe('uptoNoncesOf', () => {
  const settleCall = (nonce: bigint) =>
    encodeFunctionData({
      abi: x402UptoPermit2ProxyABI,
      functionName: 'settle',
      args: [
        { permitted: { token: chain.usdc.address, amount: MAX }, nonce, deadline: 1n },
        1n,
        account.address,
        { to: PAY_TO, facilitator: FACILITATOR, validAfter: 0n },
        '0x',
      ],
    });

  it('reads the Permit2 nonce from a call to the upto proxy', () => {
    expect(uptoNoncesOf({ to: UPTO_PROXY, input: settleCall(42n) })).toEqual([
      permit2NonceHex(42n),
    ]);
  });

  it('reads nothing from the same call sent to another contract, or from garbage', () => {
    expect(uptoNoncesOf({ to: ELSEWHERE, input: settleCall(42n) })).toEqual([]);
    expect(uptoNoncesOf({ to: UPTO_PROXY, input: '0xdeadbeef' })).toEqual([]);
    expect(uptoNoncesOf({ to: null, input: settleCall(42n) })).toEqual([]);
  });
});
