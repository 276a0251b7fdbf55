import type { Agent } from '../../agents/agent-repository';
import type { BudgetService } from '../../budgets/budget-service';
import type { TxContext } from '../../db/committer';
import type { ChainConfig } from '../../chain/chain-config';
import type { X402Parts } from './x402-parts';
import type { OnChainRail } from '../../chain/on-chain-rail';
import type { Transfer } from '../../chain/transfer-repository';
import type { X402Payment } from './x402-payment-repository';
import { recount, releaseLapsed, type X402ReleaseDeps } from './x402-release';

/**
 * x402 as an on-chain rail (docs/chain.md): a transfer out of an agent wallet that uses the
 * EIP-3009 nonce of a payment Purser signed, from its payer to its payee for its amount,
 * settles that payment; a payment released too early (the chain's clock ran behind ours)
 * counts again. Signed authorizations past their validBefore, and approvals nobody came
 * back to sign, are released.
 */
export function x402Rail(
  d: X402ReleaseDeps,
  c: X402Parts,
  budgets: Pick<BudgetService, 'draw'>,
): OnChainRail {
  return {
    settle(tx, chain, agent, t, nonces, data) {
      const payment = nonces
        .map((n) => c.payments.byNonceOf(n))
        .find(
          (p): p is X402Payment =>
            p !== undefined && p.payer === t.from && p.payTo === t.to && p.units === t.units,
        );
      if (!payment) return undefined;
      if (!c.transfers.insert({ ...t, agentId: agent.id, matched: payment.id }))
        return 'reconciled';
      return settlePayment(d, c, budgets, tx, chain, agent, payment, t, data);
    },
    releaseLapsed: (chain) => releaseLapsed(d, c, budgets, chain),
  };
}

function settlePayment(
  d: X402ReleaseDeps,
  c: X402Parts,
  budgets: Pick<BudgetService, 'draw'>,
  tx: TxContext,
  chain: ChainConfig,
  agent: Agent,
  payment: X402Payment,
  t: Transfer,
  data: Record<string, unknown>,
): 'settled' {
  const now = d.clock.now();
  const wasReleased = payment.status === 'released';
  c.payments.settle(payment.id, t.txHash, now);
  const counted = wasReleased ? recount(d, budgets, tx, agent, payment, payment.micros, now) : 0n;
  d.ledger.append(
    {
      type: `${payment.protocol}.settled`,
      actor: 'system',
      mode: agent.mode,
      agentId: agent.id,
      objectId: payment.id,
      amount: payment.micros,
      counted,
      status: 'settled',
      merchant: new URL(payment.resourceUrl).hostname,
      rail: payment.protocol,
      data: {
        ...data,
        spend_request_id: payment.spendRequestId,
        usage_id: d.spends.get(payment.spendRequestId)?.usageId ?? null,
        nonce: payment.nonce,
      },
    },
    now,
  );
  tx.afterCommit(() =>
    d.events.emit('chain', {
      kind: 'payment_settled',
      agentId: agent.id,
      objectId: payment.id,
      txHash: t.txHash,
      message: `${agent.name}'s ${payment.protocol === 'mpp' ? 'MPP' : 'x402'} payment ${payment.id} settled on ${chain.id}`,
    }),
  );
  return 'settled';
}
