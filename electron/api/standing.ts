import type { Wallet } from '../core/wallet';
import { balanceView } from './views';

/** The agent's standing (core/agents/standing.ts) and its `balance` view. */
export function standing(wallet: Wallet, agentId: string) {
  const s = wallet.agents.standing(agentId);
  const view = balanceView(s.agent, s.budget, s.source, s.fundingLimit, s.frozen, s.grant);
  return { ...s, view };
}
