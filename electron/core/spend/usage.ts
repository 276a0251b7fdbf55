import type { Micros } from '../../../shared/money';
import type { Agent } from '../agents/agent-repository';
import type { UsageDelta } from '../ledger/meters';
import type { WalletDeps } from '../wallet-deps';

/**
 * Money that counts: the one place where spend is counted against every limit at once
 * (a usage row and its meters) and taken from the agent's funding source. Approved spends,
 * owner approvals, receipts and chain transfers all come through here, inside their write
 * job. `shared` is what counts against the limits other agents share (the funding source
 * and the global cap); it is the whole amount unless a receipt claims more than the agent
 * could have spent on its own (docs/money-integrity.md).
 */
export function countUsage(
  d: Pick<WalletDeps, 'meters' | 'funding' | 'merchants'>,
  agent: Agent,
  originId: string,
  amount: Micros,
  merchant: string,
  now: number,
  shared: Micros = amount,
): number {
  const usageId = d.meters.record(
    {
      agentId: agent.id,
      fundingSourceId: agent.fundingSourceId,
      mode: agent.mode,
      micros: amount,
      shared,
      originId,
    },
    now,
  );
  d.funding.addToBalance(agent.fundingSourceId, -shared);
  d.merchants.remember(agent.id, merchant, now);
  return usageId;
}

/**
 * Changes what a counted usage is worth, in the meters and the balance alike. Only verified
 * facts call this (a lapsed x402 authorization, a settlement the chain shows, the owner's
 * settle-for-less or acceptance of a held receipt): never an agent's report.
 */
export function adjustUsage(
  d: Pick<WalletDeps, 'meters' | 'funding'>,
  usageId: number,
  delta: UsageDelta,
): void {
  // The source the usage was taken from, even if the agent has moved to another since.
  const { fundingSourceId } = d.meters.adjust(usageId, delta);
  d.funding.addToBalance(fundingSourceId, -delta.shared);
}

/** The same change for both parts: a decision's usage counts its whole amount everywhere. */
export const whole = (micros: Micros): UsageDelta => ({ micros, shared: micros });
