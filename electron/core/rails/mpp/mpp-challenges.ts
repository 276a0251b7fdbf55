import { Challenge, evm } from 'mppx';
import { z } from 'zod';
import { getAddress, isAddress } from 'viem';
import { MAX_AMOUNT_MICROS, type Micros } from '../../../../shared/money';
import { networkOf, type Address, type ChainConfig } from '../../chain/chain-config';
import { unitsToMicros } from '../../chain/units';
import { MAX_TIMEOUT_SECONDS } from '../x402/x402-requirements';

/**
 * An `evm` `charge` challenge's request as it travels (the mppx server's schema transforms
 * what a route sets into this): checked here, field by field, before anything is judged.
 */
const chargeRequest = z.object({
  amount: z.string(),
  currency: z.string(),
  recipient: z.string(),
  methodDetails: z.object({
    chainId: z.int(),
    decimals: z.int(),
    credentialTypes: z.array(z.string()).optional(),
    splits: z.array(z.unknown()).optional(),
  }),
});

/** An MPP challenge Purser can judge and sign: `evm` `charge`, on a configured chain, in its USDC. */
export interface JudgedChallenge {
  index: number;
  challenge: Challenge.Challenge;
  chain: ChainConfig;
  network: string;
  recipient: Address;
  units: bigint;
  micros: Micros;
  /** The EIP-3009 nonce the credential will carry: the challenge's hash (id and realm). */
  nonce: `0x${string}`;
  /** Unix seconds: the challenge's expiry, which the authorization carries as validBefore. */
  validBefore: number;
}

export interface ScreenedChallenges {
  usable: JudgedChallenge[];
  refused: { index: number; reason: string }[];
}

/**
 * Parses a `WWW-Authenticate` value (one or more `Payment` challenges, docs/mpp.md) with
 * mppx, and sorts the challenges into those Purser can pay and those it must not, before
 * any policy runs. Pure but for the clock, which comes in as an argument.
 */
export function screenChallenges(
  wwwAuthenticate: string,
  chains: readonly ChainConfig[],
  isDeniedPayee: (payTo: Address) => boolean,
  nowSeconds: number,
): ScreenedChallenges {
  const list = Challenge.deserializeList(wwwAuthenticate);
  const out: ScreenedChallenges = { usable: [], refused: [] };
  list.forEach((challenge, index) => {
    const verdict = judge(challenge, chains, isDeniedPayee, nowSeconds);
    if (typeof verdict === 'string') out.refused.push({ index, reason: verdict });
    else out.usable.push({ index, challenge, ...verdict });
  });
  return out;
}

function judge(
  challenge: Challenge.Challenge,
  chains: readonly ChainConfig[],
  isDeniedPayee: (payTo: Address) => boolean,
  nowSeconds: number,
): Omit<JudgedChallenge, 'index' | 'challenge'> | string {
  if (challenge.method !== 'evm' || challenge.intent !== 'charge') {
    return `method "${challenge.method}" / intent "${challenge.intent}" is not supported (only evm charge)`;
  }
  const parsed = chargeRequest.safeParse(challenge.request);
  if (!parsed.success) return 'its request is not an evm charge request';
  const request = parsed.data;
  const details = request.methodDetails;
  const chain = chains.find((c) => c.chainId === details.chainId);
  if (!chain) return `chain ${details.chainId} is not configured in Purser`;
  if (!isAddress(request.currency, { strict: false })) return 'its currency is not a token address';
  if (getAddress(request.currency) !== getAddress(chain.usdc.address))
    return `currency ${request.currency} is not the USDC configured for ${chain.id}`;
  if (details.decimals !== chain.usdc.decimals)
    return `it counts ${details.decimals} decimals where the configured USDC has ${chain.usdc.decimals}`;
  if (!details.credentialTypes?.includes('authorization'))
    return 'it does not accept an EIP-3009 authorization';
  if (details.splits?.length) return 'payment splits are not supported';
  if (!/^[0-9]{1,78}$/.test(request.amount) || BigInt(request.amount) === 0n)
    return 'amount must be a positive whole number of token units';
  if (!isAddress(request.recipient, { strict: false })) return 'recipient is not an address';
  const recipient = getAddress(request.recipient);
  if (isDeniedPayee(recipient)) return `recipient ${recipient} is on this agent's deny list`;
  // An authorization without an end could be used at any time: only a challenge with one
  // (mppx servers give five minutes by default) is signed, and valid exactly that long.
  const expires = challenge.expires === undefined ? Number.NaN : Date.parse(challenge.expires);
  if (Number.isNaN(expires)) return 'the challenge names no expiry';
  const validBefore = Math.floor(expires / 1000);
  if (validBefore <= nowSeconds) return 'the challenge has expired';
  if (validBefore > nowSeconds + MAX_TIMEOUT_SECONDS + 5)
    return `it stays payable past the ${MAX_TIMEOUT_SECONDS} s Purser signs for`;
  const units = BigInt(request.amount);
  const micros = unitsToMicros(units, chain.usdc.decimals);
  if (micros > MAX_AMOUNT_MICROS) return 'amount is over $1,000,000,000';
  return {
    chain,
    network: networkOf(chain),
    recipient,
    units,
    micros,
    nonce: evm.Types.challengeHash(challenge),
    validBefore,
  };
}
