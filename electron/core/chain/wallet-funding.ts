import type { Address } from './chain-config';
import type { Agent } from '../agents/agent-repository';
import type { WalletDeps } from '../wallet-deps';

/**
 * From its wallet on, an agent is funded by it (docs/chain.md, "Funding"): an `onchain`
 * source that holds what Purser has seen arrive in the wallet on chain (every deposit the
 * reconciler confirms), less what Purser counted for the agent. So the money the agent
 * may spend is never more than the wallet held, and `purser chain fund` is all it takes.
 */
export function fundFromWallet(
  d: Pick<WalletDeps, 'agents' | 'funding' | 'ledger'>,
  agent: Agent,
  address: Address,
  now: number,
): void {
  const source = d.funding.create(
    {
      kind: 'onchain',
      mode: agent.mode,
      name: `${agent.name}'s wallet`,
      isDefault: false,
      address,
    },
    now,
  );
  d.agents.setFundingSource(agent.id, source.id, now);
  d.ledger.append(
    {
      type: 'funding.created',
      actor: 'owner',
      mode: agent.mode,
      agentId: agent.id,
      objectId: source.id,
      data: { kind: 'onchain', address, agent_id: agent.id, was: agent.fundingSourceId },
    },
    now,
  );
}
