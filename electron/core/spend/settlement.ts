import { formatUsd, type Micros } from '../../../shared/money';
import type { Actor } from '../../../shared/ledger';
import type { BudgetService } from '../budgets/budget-service';
import type { TxContext } from '../db/committer';
import { invalidTransition } from '../errors';
import type { WalletDeps } from '../wallet-deps';
import type { SpendRecord } from './spend-repository';
import { adjustUsage } from './usage';
import { paidThroughPurser } from '../rails/paid-through-purser';

export type SettlementDeps = Pick<
  WalletDeps,
  'agents' | 'funding' | 'ledger' | 'meters' | 'payouts' | 'x402Payments'
>;

/**
 * The owner settles an approved request for less than it counts (a refund, a cheaper
 * charge, or an agent's receipt for less that the owner believes): the difference goes back
 * to every limit it counted against, in the window where it was counted, and to the budget
 * request it drew on. Only the owner comes here (docs/money-integrity.md, rule 1): an
 * agent's receipt for less never releases anything by itself. Returns what was released.
 */
export function settleForLess(
  d: SettlementDeps,
  budgets: Pick<BudgetService, 'draw'>,
  tx: TxContext,
  request: SpendRecord,
  to: Micros,
  now: number,
  note: { actor: Extract<Actor, 'owner'>; comment: string | null; data?: Record<string, unknown> },
): Micros {
  const counted = request.usageId === null ? undefined : d.meters.usage(request.usageId);
  if (request.status !== 'approved' || request.usageId === null || counted === undefined) {
    throw invalidTransition(
      `Spend request ${request.id} is ${request.status}; only an approved request can be settled.`,
      { id: request.id, status: request.status },
    );
  }
  // What an x402 payment or a payout cost is what the chain shows: its reservation is released or
  // settled by the chain's word alone (docs/chain.md), never settled for less by hand.
  const rail = paidThroughPurser(d, request.id);
  if (rail) {
    throw invalidTransition(
      `Spend request ${request.id} is paid through Purser (${rail}): the chain settles it, not a settlement by hand.`,
      { id: request.id, reason: 'paid_through_purser' },
    );
  }
  if (to < 0n || to >= counted.micros) {
    throw invalidTransition(
      `Spend request ${request.id} counts ${formatUsd(counted.micros)}; settling it is for less than that.`,
      { id: request.id, counted_micros: counted.micros.toString() },
    );
  }
  const released = counted.micros - to;
  const sharedTo = counted.shared < to ? counted.shared : to;
  adjustUsage(d, request.usageId, { micros: -released, shared: sharedTo - counted.shared });
  if (request.budgetRequestId) budgets.draw(tx, request.budgetRequestId, -released, now);
  const agent = d.agents.get(request.agentId);
  d.ledger.append(
    {
      type: 'spend.settled',
      actor: note.actor,
      mode: agent?.mode ?? null,
      agentId: request.agentId,
      objectId: request.id,
      amount: released,
      counted: -released,
      status: 'settled',
      merchant: request.merchantName,
      data: {
        from_micros: counted.micros.toString(),
        to_micros: to.toString(),
        usage_id: request.usageId,
        budget_request_id: request.budgetRequestId,
        comment: note.comment,
        ...note.data,
      },
    },
    now,
  );
  return released;
}
