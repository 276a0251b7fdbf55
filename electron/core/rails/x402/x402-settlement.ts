import type { Agent } from '../../agents/agent-repository';
import type { BudgetService } from '../../budgets/budget-service';
import type { TxContext } from '../../db/committer';
import type { ChainConfig } from '../../chain/chain-config';
import type { X402Parts } from './x402-parts';
import type { OnChainRail } from '../../chain/on-chain-rail';
import type { Transfer } from '../../chain/transfer-repository';
import type { X402Payment } from './x402-payment-repository';
import { recount, releaseLapsed, type X402ReleaseDeps } from './x402-release';
import { isUpto, uptoNoncesOf } from './x402-upto';
import { unitsToMicros } from '../../chain/units';

/**
 * What a transfer must move to pay a payment: its amount for `exact`; for `upto` anything
 * from one unit to the signed maximum, since Permit2 enforced that maximum on chain.
 */
const pays = (p: X402Payment, units: bigint): boolean =>
  isUpto(p) ? units > 0n && units <= p.units : units === p.units;

/**
 * x402 as an on-chain rail (docs/chain.md): a transfer out of an agent wallet that uses the
 * EIP-3009 (or, for `upto`, Permit2) nonce of a payment Purser signed, from its payer to its
 * payee for its amount (at most its maximum for `upto`), settles that payment; a payment released too early (the chain's clock ran behind ours)
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
            p !== undefined && p.payer === t.from && p.payTo === t.to && pays(p, t.units),
        );
      if (!payment) return undefined;
      if (!c.transfers.insert({ ...t, agentId: agent.id, matched: payment.id }))
        return 'reconciled';
      return settlePayment(d, c, budgets, tx, chain, agent, payment, t, data);
    },
    noncesIn: uptoNoncesOf,
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
  c.payments.settle(payment.id, t.txHash, t.units, now);
  // What counts is what the chain moved. A released payment counts it again; an `upto` one
  // settled for less than its maximum gives the difference back, by this verified fact, in
  // an entry of its own (a release counts at most its own amount).
  const paid = isUpto(payment) ? unitsToMicros(t.units, chain.usdc.decimals) : payment.micros;
  const counted = wasReleased ? recount(d, budgets, tx, agent, payment, paid, now) : 0n;
  const common = {
    actor: 'system',
    mode: agent.mode,
    agentId: agent.id,
    objectId: payment.id,
    merchant: new URL(payment.resourceUrl).hostname,
    rail: payment.protocol,
  } as const;
  const refs = {
    spend_request_id: payment.spendRequestId,
    usage_id: d.spends.get(payment.spendRequestId)?.usageId ?? null,
    nonce: payment.nonce,
  };
  const upto = isUpto(payment)
    ? { scheme: 'upto', max_units: payment.units.toString(), settled_units: t.units.toString() }
    : {};
  d.ledger.append(
    {
      ...common,
      type: `${payment.protocol}.settled`,
      amount: paid,
      counted,
      status: 'settled',
      data: { ...data, ...refs, ...upto },
    },
    now,
  );
  const unused = wasReleased ? 0n : payment.micros - paid;
  if (unused > 0n) {
    d.ledger.append(
      {
        ...common,
        type: `${payment.protocol}.released`,
        amount: unused,
        counted: recount(d, budgets, tx, agent, payment, -unused, now),
        status: 'released',
        data: { ...refs, ...upto, tx_hash: t.txHash, why: 'settled_for_less' },
      },
      now,
    );
  }
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
