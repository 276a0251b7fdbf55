import type { Micros } from '../../../shared/money';
import type { Agent } from '../agents/agents';
import type { WalletDeps } from '../wallet-deps';

/**
 * Money that counts: the one place where spend is counted against every limit at once
 * (a usage row and its meters) and taken from the agent's funding source. Approved spends,
 * owner approvals and receipts all come through here, inside their write job.
 */
export function countUsage(
  d: Pick<WalletDeps, 'meters' | 'funding' | 'merchants'>,
  agent: Agent,
  originId: string,
  amount: Micros,
  merchant: string,
  now: number,
): number {
  const usageId = d.meters.record(
    {
      agentId: agent.id,
      fundingSourceId: agent.fundingSourceId,
      mode: agent.mode,
      micros: amount,
      originId,
    },
    now,
  );
  d.funding.addToBalance(agent.fundingSourceId, -amount);
  d.merchants.remember(agent.id, merchant, now);
  return usageId;
}

/** Changes what a counted usage is worth (a settlement), in the meters and the balance alike. */
export function adjustUsage(
  d: Pick<WalletDeps, 'meters' | 'funding'>,
  agent: Agent,
  usageId: number,
  delta: Micros,
): void {
  d.meters.adjust(usageId, delta);
  d.funding.addToBalance(agent.fundingSourceId, -delta);
}
