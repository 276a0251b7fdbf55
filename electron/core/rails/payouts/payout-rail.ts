import type { BudgetService } from '../../budgets/budget-service';
import type { OnChainRail } from '../../chain/on-chain-rail';
import { usdcAbi } from '../../chain/rpc';
import { recount, type X402ReleaseDeps } from '../x402/x402-release';
import type { PayoutParts } from './payout-parts';
import type { PayoutIntent } from './payout-repository';
import type { PayoutSender } from './payout-sender';

/**
 * Payouts as an on-chain rail (docs/payouts.md): a transfer out of an agent wallet that used
 * a payout's EIP-3009 nonce, from its payer to its recipient for its amount, completes that
 * payout (and counts it again if it had been given up). A payout whose authorization expired
 * unused on chain, or was cancelled there, fails and gives its money back.
 */
export function payoutRail(
  d: X402ReleaseDeps,
  c: PayoutParts,
  budgets: Pick<BudgetService, 'draw'>,
  sender: () => PayoutSender,
): OnChainRail {
  return {
    settle(tx, chain, agent, t, nonces, data) {
      const payout = nonces
        .map((n) => c.payouts.byNonceOf(n))
        .find(
          (p): p is PayoutIntent =>
            p !== undefined && p.payer === t.from && p.address === t.to && p.units === t.units,
        );
      if (!payout) return undefined;
      if (!c.transfers.insert({ ...t, agentId: agent.id, matched: payout.id })) return 'reconciled';
      const now = d.clock.now();
      const wasFailed = payout.status === 'failed';
      if (!c.payouts.complete(payout.id, t.txHash, now)) return 'settled';
      const counted = wasFailed ? recount(d, budgets, tx, agent, payout, payout.micros, now) : 0n;
      sender().ledger(
        c.payouts.get(payout.id) as PayoutIntent,
        'payout.completed',
        'completed',
        counted,
        { ...data, nonce: payout.nonce },
      );
      tx.afterCommit(() => {
        sender().changed(payout.id);
        d.events.emit('chain', {
          kind: 'payout_completed',
          agentId: agent.id,
          objectId: payout.id,
          txHash: t.txHash,
          message: `${agent.name}'s payout ${payout.id} to ${payout.address} completed on ${chain.id}`,
        });
      });
      return 'settled';
    },

    async releaseLapsed(chain) {
      const open = c.payouts
        .open()
        .filter((p) => p.chain === chain.id && p.nonce !== null && p.validBefore !== null);
      if (open.length === 0) return 0;
      const client = c.rpc.public(chain);
      const chainNow = Number((await client.getBlock({ blockTag: 'latest' })).timestamp);
      let released = 0;
      for (const p of open) {
        if ((p.validBefore as number) >= chainNow) continue;
        const spent = await client.readContract({
          address: chain.usdc.address,
          abi: usdcAbi,
          functionName: 'authorizationState',
          args: [p.payer, p.nonce as `0x${string}`],
        });
        // Used (the reconciler matches its transfer) or cancelled (the sender ends it).
        if (spent) continue;
        await sender().failAndRelease(
          p,
          'its authorization expired unused on chain: it can no longer be paid',
        );
        released += 1;
      }
      return released;
    },
  };
}
