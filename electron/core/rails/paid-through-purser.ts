import type { WalletDeps } from '../wallet-deps';

/**
 * The rail that pays a spend request through Purser itself, if one does: an x402 or MPP
 * payment, or a payout. What such a request cost is what the chain shows; its reservation is settled
 * or released by the chain's word alone (docs/chain.md, docs/payouts.md), never by a
 * receipt or a settlement an agent or the owner types in.
 */
export function paidThroughPurser(
  d: Pick<WalletDeps, 'x402Payments' | 'payouts'>,
  spendRequestId: string,
): 'x402' | 'mpp' | 'payout' | undefined {
  const payment = d.x402Payments.ofSpendRequest(spendRequestId);
  if (payment) return payment.protocol;
  if (d.payouts.ofSpendRequest(spendRequestId)) return 'payout';
  return undefined;
}
