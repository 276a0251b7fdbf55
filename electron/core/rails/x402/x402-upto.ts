import { PERMIT2_ADDRESS, x402UptoPermit2ProxyABI, x402UptoPermit2ProxyAddress } from '@x402/evm';
import {
  decodeFunctionData,
  getAddress,
  parseSignature,
  toHex,
  type Hex,
  type PrivateKeyAccount,
} from 'viem';
import type { ChainConfig, Address } from '../../chain/chain-config';
import type { X402Payment } from './x402-payment-repository';
import type { X402Parts } from './x402-parts';
import { openAccount } from '../../chain/account-keys';
import { invalidTransition } from '../../errors';
import { usdcAbi } from '../../chain/rpc';

/*
 * x402 `upto` (docs/chain.md, "x402 upto"): the agent's wallet signs a Permit2 transfer of at
 * most the reserved maximum, to the payee, through x402's upto proxy, which only the named
 * facilitator may call. What the chain shows moving is what counts; the rest of the
 * reservation is released by that fact. Permit2 moves tokens by an ERC-20 allowance, which
 * Purser grants with an EIP-2612 permit the wallet signs and the owner's account sends (so
 * agent wallets need no gas), sized to what the wallet's open upto payments could take.
 */

export const PERMIT2 = getAddress(PERMIT2_ADDRESS);
export const UPTO_PROXY = getAddress(x402UptoPermit2ProxyAddress);

const permit2Abi = [
  {
    type: 'function',
    name: 'nonceBitmap',
    stateMutability: 'view',
    inputs: [
      { name: 'owner', type: 'address' },
      { name: 'word', type: 'uint256' },
    ],
    outputs: [{ type: 'uint256' }],
  },
] as const;

export const isUpto = (p: Pick<X402Payment, 'requirement'>): boolean =>
  p.requirement.scheme === 'upto';

/** A Permit2 nonce (a uint256, in decimal on the wire) as stored: 32 bytes of hex. */
export const permit2NonceHex = (nonce: bigint | string): Hex => toHex(BigInt(nonce), { size: 32 });

/** The facilitator the requirement names: the only caller the signed witness allows. */
export function facilitatorOf(p: Pick<X402Payment, 'requirement'>): Address {
  return getAddress(String(p.requirement.extra?.facilitatorAddress));
}

/** Why a typed-data request is not the reserved upto payment, or nothing if it is. */
export function uptoProblems(
  data: { domain: Record<string, unknown>; primaryType: string; message: Record<string, unknown> },
  payment: X402Payment,
  chain: ChainConfig,
  nowSeconds: number,
  maxSeconds: number,
): string[] {
  const { domain, message } = data;
  const permitted = (message.permitted ?? {}) as Record<string, unknown>;
  const witness = (message.witness ?? {}) as Record<string, unknown>;
  const same = (a: unknown, b: string) =>
    typeof a === 'string' && a.length === 42 && getAddress(a) === getAddress(b);
  return [
    data.primaryType !== 'PermitWitnessTransferFrom' && 'not a Permit2 witness transfer',
    domain.name !== 'Permit2' && 'another EIP-712 domain',
    Number(domain.chainId) !== chain.chainId && 'another chain',
    !same(domain.verifyingContract, PERMIT2) && 'not Permit2',
    !same(permitted.token, chain.usdc.address) && 'another token',
    BigInt(String(permitted.amount)) !== payment.units && 'another amount',
    !same(message.spender, UPTO_PROXY) && 'another spender',
    !same(witness.to, payment.payTo) && 'another payee',
    !same(witness.facilitator, facilitatorOf(payment)) && 'another facilitator',
    BigInt(String(message.deadline)) > BigInt(nowSeconds + maxSeconds + 5) && 'valid for too long',
  ].filter((x): x is string => typeof x === 'string');
}

/** Owner transactions for Permit2 allowances, one at a time, so their nonces never collide. */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Makes Permit2's allowance over this wallet's tokens cover every open upto payment of the
 * wallet on this chain (reserved or signed, this one included): never more, so the chain
 * refuses any Permit2 transfer beyond what Purser has signed for.
 */
export function ensurePermit2Allowance(
  c: X402Parts,
  chain: ChainConfig,
  payment: X402Payment,
  wallet: PrivateKeyAccount,
): Promise<void> {
  return serial(async () => {
    const needed = c.payments
      .open()
      .filter(
        (p) =>
          p.payer === payment.payer &&
          p.chain === chain.id &&
          isUpto(p) &&
          (p.status === 'reserved' || p.status === 'signed'),
      )
      .reduce((sum, p) => sum + p.units, 0n);
    const pub = c.rpc.public(chain);
    const token = chain.usdc.address;
    const have = await pub.readContract({
      address: token,
      abi: usdcAbi,
      functionName: 'allowance',
      args: [wallet.address, PERMIT2],
    });
    if (have >= needed) return;
    const owner = c.accounts.owner();
    if (!owner?.canSign) {
      throw invalidTransition(
        'An x402 upto payment needs the owner’s account to send the Permit2 approval (it pays the gas): import or generate one.',
      );
    }
    const sender = await openAccount(c.accounts, c.sealer(), owner.address);
    const nonce = await pub.readContract({
      address: token,
      abi: usdcAbi,
      functionName: 'nonces',
      args: [wallet.address],
    });
    const block = await pub.getBlock({ blockTag: 'latest' });
    const deadline = block.timestamp + 600n;
    const signature = await wallet.signTypedData({
      domain: {
        name: chain.usdc.name,
        version: chain.usdc.version,
        chainId: chain.chainId,
        verifyingContract: token,
      },
      types: {
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      message: { owner: wallet.address, spender: PERMIT2, value: needed, nonce, deadline },
    });
    const { r, s, yParity } = parseSignature(signature);
    const { request } = await pub.simulateContract({
      account: sender,
      address: token,
      abi: usdcAbi,
      functionName: 'permit',
      args: [wallet.address, PERMIT2, needed, deadline, 27 + yParity, r, s],
    });
    const hash = await c.rpc.wallet(chain, sender).writeContract(request);
    const receipt = await pub.waitForTransactionReceipt({ hash, timeout: 60_000 });
    if (receipt.status !== 'success') throw new Error(`Permit2 approval reverted: ${hash}`);
  });
}

/** Whether Permit2 shows this payment's nonce used (or given up) for its payer. */
export async function permit2NonceUsed(
  c: X402Parts,
  chain: ChainConfig,
  p: X402Payment,
): Promise<boolean> {
  const nonce = BigInt(p.nonce as Hex);
  const word = await c.rpc.public(chain).readContract({
    address: PERMIT2,
    abi: permit2Abi,
    functionName: 'nonceBitmap',
    args: [p.payer, nonce >> 8n],
  });
  return (word & (1n << (nonce & 0xffn))) !== 0n;
}

/**
 * The Permit2 nonces a transaction settled through x402's upto proxy, read from its input:
 * the proxy's `Settled` event carries nothing, and Permit2 logs no nonce. Only a transaction
 * sent to the proxy itself is read; a settlement wrapped in another contract's call is not
 * recognised, and its transfer is counted as unmatched (the owner looks at it).
 */
export function uptoNoncesOf(tx: { to: Address | null; input: Hex }): string[] {
  if (!tx.to || getAddress(tx.to) !== UPTO_PROXY) return [];
  try {
    const call = decodeFunctionData({ abi: x402UptoPermit2ProxyABI, data: tx.input });
    const permit =
      call.functionName === 'settle'
        ? call.args[0]
        : call.functionName === 'settleWithPermit'
          ? call.args[1]
          : undefined;
    return permit ? [permit2NonceHex(permit.nonce)] : [];
  } catch {
    return [];
  }
}
