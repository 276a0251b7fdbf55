import {
  BaseError,
  encodeFunctionData,
  HttpRequestError,
  parseSignature,
  TimeoutError,
} from 'viem';
import type { ChainConfig } from '../../chain/chain-config';
import { usdcAbi } from '../../chain/rpc';
import type { PayoutIntent } from './payout-repository';

/*
 * EIP-3009 as the payout sender uses it (docs/payouts.md): the typed data the agent's
 * wallet signs, the token call that carries a stored authorization, and how an RPC error
 * is told from a revert.
 */

export const TRANSFER_TYPES = {
  TransferWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const;
export const CANCEL_TYPES = {
  CancelAuthorization: [
    { name: 'authorizer', type: 'address' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const;

export const domainOf = (chain: ChainConfig) => ({
  name: chain.usdc.name,
  version: chain.usdc.version,
  chainId: chain.chainId,
  verifyingContract: chain.usdc.address,
});

/** An RPC that could not be reached says nothing about the transaction: try again later. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof BaseError &&
    error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError) !== null
  );
}

export const messageOf = (error: unknown) =>
  error instanceof BaseError
    ? error.shortMessage
    : error instanceof Error
      ? error.message.split('\n')[0]
      : String(error);

/** The call that carries a payout's stored authorization: the token's transferWithAuthorization. */
export function transferData(p: PayoutIntent): `0x${string}` {
  const { v, r, s } = parseSignature(p.signature as `0x${string}`);
  return encodeFunctionData({
    abi: usdcAbi,
    functionName: 'transferWithAuthorization',
    args: [
      p.payer,
      p.address,
      p.units,
      0n,
      BigInt(p.validBefore ?? 0),
      p.nonce as `0x${string}`,
      Number(v),
      r,
      s,
    ],
  });
}
