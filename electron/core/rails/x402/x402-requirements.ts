import { unitsToMicros } from '../../chain/units';
import { getAddress, isAddress } from 'viem';
import { EVM_NETWORK_CHAIN_ID_MAP } from '@x402/evm/v1';
import type { PaymentRequired, PaymentRequirements } from '@x402/core/types';
import { MAX_AMOUNT_MICROS, type Micros } from '../../../../shared/money';
import { networkOf, type Address, type ChainConfig } from '../../chain/chain-config';

/** The longest an authorization may stay usable (docs/chain.md): longer ones are declined. */
export const MAX_TIMEOUT_SECONDS = 300;

/** A requirement Purser can judge and sign: on a configured chain, in its configured USDC. */
export interface Judged {
  index: number;
  /** `exact` pays the amount; `upto` signs it as a maximum and pays what is used. */
  scheme: 'exact' | 'upto';
  requirement: PaymentRequirements;
  chain: ChainConfig;
  network: string;
  payTo: Address;
  units: bigint;
  micros: Micros;
}

export interface Screened {
  usable: Judged[];
  /** Why each other requirement was set aside, in words for the agent and the owner. */
  refused: { index: number; reason: string }[];
}

/** v1 requirements carry `maxAmountRequired` and a network name instead of CAIP-2. */
type AnyRequirement = PaymentRequirements & { maxAmountRequired?: string };

function chainIdOf(version: number, network: string): number | undefined {
  if (version === 1) return (EVM_NETWORK_CHAIN_ID_MAP as Record<string, number>)[network];
  const m = /^eip155:(\d{1,12})$/.exec(network);
  return m ? Number(m[1]) : undefined;
}

function judge(
  version: number,
  r: AnyRequirement,
  chains: readonly ChainConfig[],
  isDeniedPayee: (payTo: Address) => boolean,
): Omit<Judged, 'index' | 'requirement'> | string {
  if (r.scheme !== 'exact' && r.scheme !== 'upto')
    return `scheme "${r.scheme}" is not supported (only "exact" and "upto")`;
  const scheme = r.scheme;
  const chainId = chainIdOf(version, r.network);
  const chain = chainId === undefined ? undefined : chains.find((c) => c.chainId === chainId);
  if (!chain) return `network ${r.network} is not configured in Purser`;
  if (typeof r.asset !== 'string' || !isAddress(r.asset, { strict: false }))
    return 'asset is not an address';
  if (getAddress(r.asset) !== getAddress(chain.usdc.address))
    return `asset ${r.asset} is not the USDC configured for ${chain.id}`;
  if (scheme === 'upto') {
    // Paid through Permit2 and x402's upto proxy (docs/chain.md): the token's own EIP-712
    // domain is not what is signed, the facilitator named here is.
    const facilitator = r.extra?.facilitatorAddress;
    if (typeof facilitator !== 'string' || !isAddress(facilitator, { strict: false }))
      return 'an upto requirement must name its facilitatorAddress';
    if (version !== 2) return 'upto is an x402 v2 scheme';
  } else {
    const method = r.extra?.assetTransferMethod ?? 'eip3009';
    if (method !== 'eip3009') return `asset transfer method "${String(method)}" is not supported`;
  }
  if (
    scheme === 'exact' &&
    (r.extra?.name !== chain.usdc.name || r.extra?.version !== chain.usdc.version)
  ) {
    return `the asset's EIP-712 domain (${String(r.extra?.name)}, ${String(r.extra?.version)}) is not the configured one (${chain.usdc.name}, ${chain.usdc.version})`;
  }
  const amount = version === 1 ? r.maxAmountRequired : r.amount;
  if (typeof amount !== 'string' || !/^[0-9]{1,78}$/.test(amount) || BigInt(amount) === 0n)
    return 'amount must be a positive whole number of token units';
  const timeout = r.maxTimeoutSeconds;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SECONDS)
    return `maxTimeoutSeconds ${String(timeout)} is over the ${MAX_TIMEOUT_SECONDS} s Purser signs for`;
  if (typeof r.payTo !== 'string' || !isAddress(r.payTo, { strict: false }))
    return 'payTo is not an address';
  const payTo = getAddress(r.payTo);
  if (isDeniedPayee(payTo)) return `payTo ${payTo} is on this agent's deny list`;
  const units = BigInt(amount);
  const micros = unitsToMicros(units, chain.usdc.decimals);
  if (micros > MAX_AMOUNT_MICROS) return 'amount is over $1,000,000,000';
  return {
    scheme,
    chain,
    network: networkOf(chain),
    payTo,
    units,
    micros,
  };
}

/**
 * Sorts a 402 answer's requirements into those Purser can sign for and those it must not,
 * before any policy runs. Pure: the chain config and the deny list come in as arguments.
 */
export function screenRequirements(
  paymentRequired: PaymentRequired,
  chains: readonly ChainConfig[],
  isDeniedPayee: (payTo: Address) => boolean,
): Screened {
  const out: Screened = { usable: [], refused: [] };
  paymentRequired.accepts.forEach((requirement, index) => {
    const verdict = judge(paymentRequired.x402Version, requirement, chains, isDeniedPayee);
    if (typeof verdict === 'string') out.refused.push({ index, reason: verdict });
    else out.usable.push({ index, requirement, ...verdict });
  });
  return out;
}
