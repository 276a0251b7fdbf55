import type { BudgetRequestRecord } from '../budgets/budget-repository';
import type { FundingSource } from '../funding/funding-repository';
import type { BudgetSnapshot } from '../spend/limits';
import type { LimitState } from '../policy/decide';
import type { Policy } from '../policy/policy';
import type { WalletDeps } from '../wallet-deps';
import type { Agent } from './agent-repository';

/** Everything an agent may know about its limits as they stand, read without writing. */
export interface Standing {
  agent: Agent;
  policy: Policy;
  budget: BudgetSnapshot;
  source: FundingSource;
  fundingLimit: LimitState | null;
  frozen: boolean;
  /** The budget request whose grant is in force now, if any. */
  grant: BudgetRequestRecord | null;
  /** Requests counted against the policy's velocity in the last hour. */
  velocityUsed: number;
  pendingExpiryHours: number;
  now: number;
}

type Deps = Pick<
  WalletDeps,
  'clock' | 'agents' | 'policies' | 'funding' | 'limits' | 'budgets' | 'settings'
>;

/** Reads an agent's standing; the caller holds a read transaction (one snapshot). */
export function standingOf(d: Deps, agent: Agent): Standing {
  const now = d.clock.now();
  const policy = d.policies.current(agent);
  const source = d.funding.get(agent.fundingSourceId);
  if (!source) throw new Error(`no funding source ${agent.fundingSourceId}`);
  // A grant past its window is no longer active, though upkeep may not have written it
  // down yet.
  const active = d.budgets.active(agent.id);
  const settings = d.settings.get();
  return {
    agent,
    policy,
    budget: d.limits.budget(agent, policy, now, false),
    source,
    fundingLimit: d.limits.fundingLimit(source, now, false),
    frozen: settings.frozen,
    grant: active && active.expiresAt > now ? active : null,
    velocityUsed: d.limits.velocity(agent, now, false),
    pendingExpiryHours: settings.pendingExpiryHours,
    now,
  };
}
