import type { Agent } from '../../agents/agent-repository';
import type { BudgetService } from '../../budgets/budget-service';
import type { TxContext } from '../../db/committer';
import { adjustUsage, whole } from '../../spend/usage';
import type { WalletDeps } from '../../wallet-deps';
import type { X402Parts } from './x402-parts';
import type { ChainConfig } from '../../chain/chain-config';
import { usdcAbi } from '../../chain/rpc';
import { SIGN_WITHIN_MS } from './x402-service';
import type { X402Payment } from './x402-payment-repository';
import { isUpto, permit2NonceUsed } from './x402-upto';

/** What this part of the chain service uses of the wallet: no more. */
export type X402ReleaseDeps = Pick<
  WalletDeps,
  'agents' | 'clock' | 'committer' | 'events' | 'funding' | 'ledger' | 'meters' | 'spends'
>;

/*
 * The end of an x402 reservation that is never paid (docs/chain.md): once it can no longer
 * be used on chain, what it counted is given back.
 */

/**
 * Releases what can no longer be paid: a signed authorization past its validBefore on
 * chain and unused there, or an approved reservation no one came back to sign.
 */
export async function releaseLapsed(
  d: X402ReleaseDeps,
  c: X402Parts,
  budgets: Pick<BudgetService, 'draw'>,
  chain: ChainConfig,
): Promise<number> {
  const open = c.payments.open().filter((p) => p.chain === chain.id);
  if (open.length === 0) return 0;
  const client = c.rpc.public(chain);
  const block = await client.getBlock({ blockTag: 'latest' });
  const chainNow = Number(block.timestamp);
  const lapsed: X402Payment[] = [];
  // Declined, expired or withdrawn while waiting: nothing was counted, nothing to release.
  const closed: X402Payment[] = [];
  for (const p of open) {
    if (p.status === 'signed' && p.validBefore !== null && p.validBefore < chainNow) {
      // Past its deadline on the chain's clock, and its nonce unused: it can never move money.
      const used = isUpto(p)
        ? await permit2NonceUsed(c, chain, p)
        : await client.readContract({
            address: chain.usdc.address,
            abi: usdcAbi,
            functionName: 'authorizationState',
            args: [p.payer, p.nonce as `0x${string}`],
          });
      if (!used) lapsed.push(p);
    } else if (p.status === 'reserved' && p.updatedAt + SIGN_WITHIN_MS < d.clock.now()) {
      lapsed.push(p);
    } else if (p.status === 'awaiting_approval') {
      // Approved, but the agent never came back for the signature: release it in time.
      const request = d.spends.get(p.spendRequestId);
      if (
        request?.status === 'approved' &&
        (request.decidedAt ?? 0) + SIGN_WITHIN_MS < d.clock.now()
      )
        lapsed.push(p);
      else if (request && request.status !== 'approved' && request.status !== 'needs_approval')
        closed.push(p);
    }
  }
  if (lapsed.length === 0 && closed.length === 0) return 0;
  return d.committer.run((tx) => {
    let n = 0;
    const now = d.clock.now();
    for (const p of closed) c.payments.move(p.id, 'awaiting_approval', 'declined', now);
    for (const p of lapsed) {
      if (!c.payments.move(p.id, p.status, 'released', now)) continue;
      const agent = d.agents.get(p.agentId) as Agent;
      const counted = recount(d, budgets, tx, agent, p, -p.micros, now);
      d.ledger.append(
        {
          type: `${p.protocol}.released`,
          actor: 'system',
          mode: agent.mode,
          agentId: agent.id,
          objectId: p.id,
          amount: p.micros,
          counted,
          status: 'released',
          merchant: new URL(p.resourceUrl).hostname,
          rail: p.protocol,
          data: {
            spend_request_id: p.spendRequestId,
            usage_id: d.spends.get(p.spendRequestId)?.usageId ?? null,
            nonce: p.nonce,
            valid_before: p.validBefore,
            was: p.status,
          },
        },
        now,
      );
      tx.afterCommit(() =>
        d.events.emit('chain', {
          kind: 'payment_released',
          agentId: agent.id,
          objectId: p.id,
          message: `${agent.name}'s ${p.protocol === 'mpp' ? 'MPP' : 'x402'} reservation ${p.id} was released: it can no longer be paid`,
        }),
      );
      n += 1;
    }
    return n;
  });
}

/**
 * Moves a payment's counted amount by `delta` (its request's usage, and any grant). Payouts
 * release and recount through it too (electron/core/rails/payouts/payout-rail.ts).
 */
export function recount(
  d: X402ReleaseDeps,
  budgets: Pick<BudgetService, 'draw'>,
  tx: TxContext,
  agent: Agent,
  p: Pick<X402Payment, 'spendRequestId'>,
  delta: bigint,
  now: number,
): bigint {
  const request = d.spends.get(p.spendRequestId);
  if (!request || request.usageId === null) return 0n;
  adjustUsage(d, request.usageId, whole(delta));
  if (request.budgetRequestId) budgets.draw(tx, request.budgetRequestId, delta, now);
  return delta;
}
