import type { Agent, AgentRepository } from './agent-repository';
import type { Policy } from '../policy/policy';

/**
 * Policy versions are immutable, so a parsed version can be kept. The cache is cleared on
 * rollback: a version written by a transaction that did not commit must not survive it.
 */
export class PolicyCache {
  private readonly cache = new Map<string, Policy>();

  constructor(private readonly agents: AgentRepository) {}

  current(agent: Agent): Policy {
    return this.at(agent.id, agent.policyVersion);
  }

  at(agentId: string, version: number): Policy {
    const key = `${agentId}#${version}`;
    let policy = this.cache.get(key);
    if (!policy) {
      policy = this.agents.policy(agentId, version);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, policy);
    }
    return policy;
  }

  clear(): void {
    this.cache.clear();
  }
}
