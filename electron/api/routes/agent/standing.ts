import type { Wallet } from '../../../core/wallet';
import { balanceView } from '../../views';

/** Everything the agent may know about its limits, as they stand now, without writing. */
export function standing(wallet: Wallet, agentId: string) {
  return wallet.read(() => standingNow(wallet, agentId));
}

function standingNow(wallet: Wallet, agentId: string) {
  const { deps } = wallet;
  const now = deps.clock.now();
  const agent = deps.agents.get(agentId);
  if (!agent) throw new Error(`no agent ${agentId}`);
  const policy = deps.policies.current(agent);
  const source = deps.funding.get(agent.fundingSourceId);
  if (!source) throw new Error(`no funding source ${agent.fundingSourceId}`);
  const budget = deps.limits.budget(agent, policy, now, false);
  const limit = deps.limits.fundingLimit(source, now, false);
  // A grant past its window is no longer active, though upkeep may not have written it down yet.
  const active = deps.budgets.active(agent.id);
  const view = balanceView(
    agent,
    budget,
    source,
    limit,
    deps.settings.get().frozen,
    active && active.expiresAt > now ? active : null,
  );
  return { agent, policy, view, now };
}
