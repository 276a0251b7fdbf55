import type { Agent } from '../agents/agent-repository';
import type { TxContext } from '../db/committer';
import type { Address, ChainConfig } from './chain-config';
import type { Hex } from 'viem';
import type { Transfer } from './transfer-repository';

/**
 * A rail that pays from agents' Purser-held wallets (core/rails/: x402 and MPP, payouts), as
 * the reconciler sees it. The reconciler follows every transfer out of an agent
 * wallet into the ledger; each rail says whether a transfer is one of its payments, and
 * releases what can no longer be paid. Both only by the chain's word (docs/chain.md).
 */
export interface OnChainRail {
  /**
   * Records `transfer` if it pays one of this rail's payments (matched by what the chain
   * shows: the EIP-3009 nonces its transaction used, payer, payee and amount), in the
   * reconciler's write job. `settled`, `reconciled` when it was recorded before, or
   * undefined when it is none of this rail's.
   */
  settle(
    tx: TxContext,
    chain: ChainConfig,
    agent: Agent,
    transfer: Transfer,
    nonces: readonly string[],
    data: Record<string, unknown>,
  ): 'settled' | 'reconciled' | undefined;
  /**
   * Nonces that a transaction's own call carries, for rails whose nonces no event shows
   * (x402 upto settles through Permit2, which logs none): passed to `settle` with the rest.
   */
  noncesIn?(sent: { to: Address | null; input: Hex }): string[];
  /** Releases this rail's reservations on `chain` that can no longer be paid; how many. */
  releaseLapsed(chain: ChainConfig): Promise<number>;
}
