import type { OwnerSpendView } from '../../shared/schemas/owner-api';
import type { SpendRecord } from '../core/spend/spend-repository';
import type { Wallet } from '../core/wallet';
import { ownerSpendView, ownerX402View } from './owner-views';

/**
 * A spend request as the owner's approvals and event stream show it: with what approving
 * would do, and for an x402 payment what would be signed and to whom.
 */
export function ownerSpendOf(wallet: Wallet, r: SpendRecord): OwnerSpendView {
  const name = wallet.agents.nameOf(r.agentId);
  const impact = r.status === 'needs_approval' ? wallet.approvals.impact(r) : null;
  const payment = wallet.chain.x402.paymentOfSpend(r.id);
  const x402 = payment
    ? ownerX402View(payment, wallet.chain.x402.paidBefore(r.agentId, payment.payTo, payment.id))
    : null;
  return ownerSpendView(r, name, impact, x402);
}
