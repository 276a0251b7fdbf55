import type { OwnerSpendView } from '../../shared/schemas/owner-api';
import type { SpendRecord } from '../core/spend/spend-repository';
import type { Wallet } from '../core/wallet';
import { lookalikeOf } from '../core/rails/payouts/recipients';
import { ownerPayoutView, ownerSpendView, ownerX402View } from './owner-views';

/**
 * A spend request as the owner's approvals and event stream show it: with what approving
 * would do, and for an x402 payment or a payout what would be signed and to whom.
 */
export function ownerSpendOf(wallet: Wallet, r: SpendRecord): OwnerSpendView {
  const name = wallet.agents.nameOf(r.agentId);
  const impact = r.status === 'needs_approval' ? wallet.approvals.impact(r) : null;
  const payment = wallet.chain.x402.paymentOfSpend(r.id);
  const x402 = payment
    ? ownerX402View(payment, wallet.chain.x402.paidBefore(r.agentId, payment.payTo, payment.id))
    : null;
  return ownerSpendView(r, name, impact, x402, payoutOf(wallet, r));
}

function payoutOf(wallet: Wallet, r: SpendRecord): OwnerSpendView['payout'] {
  const { payouts, recipients } = wallet.chain;
  const p = payouts.ofSpendRequest(r.id);
  if (!p) return null;
  const saved = recipients.list();
  const recipient = saved.find((x) => x.address === p.address);
  const lookalike = recipient ? undefined : lookalikeOf(p.address, saved);
  return ownerPayoutView(p, recipient, lookalike, payouts.paidBefore(r.agentId, p.address, p.id));
}
