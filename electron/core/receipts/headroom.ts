import type { Micros } from '../../../shared/money';
import type { Agent } from '../agents/agent-repository';
import type { BudgetService } from '../budgets/budget-service';
import type { WalletDeps } from '../wallet-deps';

const min = (a: Micros, b: Micros) => (a < b ? a : b);
const atLeastZero = (a: Micros) => (a > 0n ? a : 0n);

/**
 * What this agent could have spent on its own right now, without asking the owner: the
 * most a receipt of its may take from the limits it shares with other agents
 * (docs/money-integrity.md, rule 2). It is the least of:
 *
 * - its own room: what is left of an open grant (a budget request the owner approved,
 *   which step 12 of docs/decision-order.md lets it spend past the periodic budget), or
 *   else of its periodic budget;
 * - the shared room: the funding source's balance, what is left of the source's limit and
 *   of the global cap.
 *
 * An agent that may not spend now (paused, revoked, or the wallet frozen) has none: a
 * receipt it reports then waits for the owner in full before it touches a shared limit.
 * Read inside the write job, before the receipt counts.
 */
export function headroomOf(
  d: Pick<WalletDeps, 'funding' | 'limits' | 'policies' | 'settings'>,
  budgets: Pick<BudgetService, 'activeGrant'>,
  agent: Agent,
  now: number,
): Micros {
  if (agent.status !== 'active' || d.settings.get().frozen) return 0n;
  const policy = d.policies.current(agent);
  const grant = budgets.activeGrant(agent.id, now);
  let room = grant ? grant.remaining : d.limits.budget(agent, policy, now, true).remaining;
  const source = d.funding.get(agent.fundingSourceId);
  if (!source) return 0n;
  room = min(room, atLeastZero(source.balance));
  const limit = d.limits.fundingLimit(source, now, true);
  if (limit) room = min(room, atLeastZero(limit.amount - limit.spent));
  const cap = d.limits.globalCap(agent.mode, now, true);
  if (cap) room = min(room, atLeastZero(cap.amount - cap.spent));
  return room;
}
