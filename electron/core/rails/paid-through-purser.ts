import type { WalletDeps } from '../wallet-deps';

/**
 * The rail that pays a spend request through Purser itself, if one does: an x402 payment
 * or a payout. What such a request cost is what the chain shows; its reservation is settled
 * or released by the chain's word alone (docs/chain.md, docs/payouts.md), never by a
 * receipt or a settlement an agent or the owner types in.
 */
export function paidThroughPurser(
  d: Pick<WalletDeps, 'x402Payments' | 'payouts'>,
  spendRequestId: string,
): 'x402' | 'payout' | undefined {
  if (d.x402Payments.ofSpendRequest(spendRequestId)) return 'x402';
  if (d.payouts.ofSpendRequest(spendRequestId)) return 'payout';
  return undefined;
}
