import type { AgentStatus, Mode } from '../../../shared/domain';
import { invalidTransition, notFound, PurserError } from '../errors';
import { newId } from '../ids';
import {
  changedInput,
  DEFAULT_RULES,
  policyOf,
  policyToInput,
  type Policy,
  type PolicyRules,
} from '../policy/policy';
import type { TxContext } from '../db/committer';
import type { AgentChange } from '../events';
import type { WalletDeps, WriterDeps } from '../wallet-deps';
import type { Agent } from './agent-repository';
import type { BudgetSnapshot } from '../spend/limits';
import type { BudgetAlert } from '../budgets/budget-alerts';
import { standingOf, type Standing } from './standing';
import { closePending } from '../approvals/pending-lifecycle';
import type { BudgetService } from '../budgets/budget-service';

/** What AgentService uses of the wallet: no more (wallet.ts wires it). */
export type AgentServiceDeps = Pick<
  WalletDeps,
  | WriterDeps
  | 'budgetAlerts'
  | 'budgets'
  | 'funding'
  | 'keys'
  | 'limits'
  | 'policies'
  | 'reads'
  | 'settings'
  | 'spends'
>;

/** A new agent as the core takes it: its policy in the core's units (rulesFromInput). */
export interface AgentCommand {
  name: string;
  mode: Mode;
  /** Its own source; by default the mode's default cash source. */
  fundingSourceId: string | null;
  policy: Partial<PolicyRules>;
}

/** The owner's operations on agents: create, edit policy (a new version each time), pause. */
export class AgentService {
  constructor(
    private readonly d: AgentServiceDeps,
    private readonly budgets: Pick<BudgetService, 'rejectNow'>,
  ) {}

  create(command: AgentCommand): Promise<{ agent: Agent; policy: Policy }> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const { name, mode, fundingSourceId } = command;
      const source = fundingSourceId
        ? d.funding.get(fundingSourceId)
        : d.funding.defaultForMode(mode);
      if (!source) throw notFound('funding source', fundingSourceId ?? `for ${mode} mode`);
      if (source.mode !== mode) {
        throw new PurserError(
          'invalid_request',
          `Funding source ${source.id} is for ${source.mode} mode, not ${mode}.`,
        );
      }
      const policy = policyOf({ ...DEFAULT_RULES, ...stripUndefined(command.policy) }, 1);
      const agent = { id: newId('agent'), name, mode, fundingSourceId: source.id };
      d.agents.insert(agent, policy, now);
      d.ledger.append(
        {
          type: 'agent.created',
          actor: 'owner',
          mode,
          agentId: agent.id,
          objectId: agent.id,
          data: { name, funding_source_id: source.id },
        },
        now,
      );
      d.ledger.append(
        {
          type: 'policy.updated',
          actor: 'owner',
          mode,
          agentId: agent.id,
          objectId: agent.id,
          data: { version: 1, policy: policyToInput(policy) },
        },
        now,
      );
      announce(d, tx, agent.id, 'created');
      return { agent: this.require(agent.id), policy };
    });
  }

  /** Writes the next policy version: the patch over the current one. */
  updatePolicy(
    agentId: string,
    change: Partial<PolicyRules>,
  ): Promise<{ agent: Agent; policy: Policy }> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const agent = this.require(agentId);
      const current = d.policies.current(agent);
      const rules = stripUndefined(change);
      const policy = policyOf({ ...current, ...rules }, current.version + 1);
      d.agents.addPolicyVersion(agentId, policy, now);
      d.ledger.append(
        {
          type: 'policy.updated',
          actor: 'owner',
          mode: agent.mode,
          agentId,
          objectId: agentId,
          data: {
            version: policy.version,
            previous_version: current.version,
            changes: changedInput(policy, rules),
          },
        },
        now,
      );
      announce(d, tx, agentId, 'policy');
      return { agent: this.require(agentId), policy };
    });
  }

  setStatus(agentId: string, status: AgentStatus): Promise<Agent> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const agent = this.require(agentId);
      if (agent.status === status) return agent;
      if (agent.status === 'revoked') {
        throw invalidTransition(
          `Agent ${agentId} is revoked; a revoked agent cannot be ${status === 'active' ? 'resumed' : 'paused'}.`,
        );
      }
      d.agents.setStatus(agentId, status, now);
      if (status === 'revoked') {
        for (const key of d.keys.listForAgent(agentId)) {
          if (key.revokedAt === null && d.keys.revoke(key.id, now)) {
            d.ledger.append(
              {
                type: 'key.revoked',
                actor: 'owner',
                mode: agent.mode,
                agentId,
                objectId: key.id,
                data: { because: 'agent revoked' },
              },
              now,
            );
          }
        }
      }
      d.ledger.append(
        {
          type: 'agent.status_changed',
          actor: 'owner',
          mode: agent.mode,
          agentId,
          objectId: agentId,
          status,
          data: { from: agent.status, to: status },
        },
        now,
      );
      if (status === 'revoked') this.closeWaiting(tx, agent, now);
      announce(d, tx, agentId, 'status');
      return this.require(agentId);
    });
  }

  /**
   * A revoked agent can never spend again, so nothing of it should wait for the owner
   * (docs/money-integrity.md, rule 5): its pending requests are cancelled and its pending
   * budget request rejected, in the revocation's own write job.
   */
  private closeWaiting(tx: TxContext, agent: Agent, now: number): void {
    const { d } = this;
    for (;;) {
      const page = d.spends.pendingPage(agent.id, undefined, 500);
      if (page.length === 0) break;
      for (const record of page) {
        closePending(
          d,
          tx,
          record,
          {
            status: 'cancelled',
            reason: 'Cancelled: the owner revoked the agent',
            rule: 'agent_revoked',
            actor: 'owner',
            data: { because: 'agent revoked' },
          },
          now,
        );
      }
    }
    const asked = d.budgets.active(agent.id);
    if (asked?.status === 'pending')
      this.budgets.rejectNow(tx, asked, 'The owner revoked the agent', now);
  }

  list(): Agent[] {
    return this.d.agents.list();
  }

  /** The agent's name for the owner's views; its id when the agent is unknown. */
  nameOf(agentId: string): string {
    return this.d.agents.get(agentId)?.name ?? agentId;
  }

  /**
   * The policy in force, the budget window as it stands now, and the newest warning level
   * its spend reached in this window (docs/alerts.md), without writing.
   */
  budgetOf(agent: Agent): { policy: Policy; budget: BudgetSnapshot; alert: BudgetAlert | null } {
    const policy = this.d.policies.current(agent);
    const now = this.d.clock.now();
    return {
      policy,
      budget: this.d.limits.budget(agent, policy, now, false),
      alert: this.d.budgetAlerts.current(agent.id, policy.period, policy.window, now) ?? null,
    };
  }

  /** Everything the agent may know about its limits, in one snapshot (standing.ts). */
  standing(agentId: string): Standing {
    return this.d.reads.run(() => standingOf(this.d, this.require(agentId)));
  }

  require(agentId: string): Agent {
    const agent = this.d.agents.get(agentId);
    if (!agent) throw notFound('agent', agentId);
    return agent;
  }
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/**
 * Tells every open window (and the tray) that an agent changed, once the change is on
 * disk: created, a new policy, a new status, a key issued or revoked.
 */
export function announce(
  d: Pick<WalletDeps, 'events'>,
  tx: TxContext,
  agentId: string,
  change: AgentChange,
): void {
  tx.afterCommit(() => d.events.emit('agent', { agentId, change }));
}
