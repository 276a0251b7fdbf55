import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { AgentStatus, Mode } from '../../../shared/domain';
import { parsePolicy, serializePolicy, type Policy } from '../policy/policy';

export interface Agent {
  id: string;
  name: string;
  mode: Mode;
  status: AgentStatus;
  fundingSourceId: string;
  policyVersion: number;
  createdAt: number;
  updatedAt: number;
}

interface AgentRow {
  id: string;
  name: string;
  mode: Mode;
  status: AgentStatus;
  funding_source_id: string;
  policy_version: bigint;
  created_at: bigint;
  updated_at: bigint;
}

const fromRow = (r: AgentRow): Agent => ({
  id: r.id,
  name: r.name,
  mode: r.mode,
  status: r.status,
  fundingSourceId: r.funding_source_id,
  policyVersion: Number(r.policy_version),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/**
 * SQL for agents and their versioned policies. Agents are read on every request and
 * written rarely, so reads are cached; every write here updates the cache, and a rollback
 * clears it (`clearCache`), so it never holds what the database does not.
 */
export class AgentRepository {
  private readonly cache = new Map<string, Agent>();
  private readonly byId: Statement<[string], AgentRow>;
  private readonly all: Statement<[], AgentRow>;
  private readonly insertAgent: Statement;
  private readonly insertPolicy: Statement;
  private readonly policyAt: Statement<[string, number], { body: string }>;
  private readonly setVersion: Statement;
  private readonly setStatusStmt: Statement;
  private readonly setFundingStmt: Statement;

  constructor(db: Db) {
    this.byId = db.prepare('SELECT * FROM agents WHERE id = ?');
    this.all = db.prepare('SELECT * FROM agents ORDER BY created_at, id');
    this.insertAgent = db.prepare(
      `INSERT INTO agents (id, name, mode, status, funding_source_id, policy_version, created_at, updated_at)
       VALUES (@id, @name, @mode, 'active', @fundingSourceId, 1, @now, @now)`,
    );
    this.insertPolicy = db.prepare(
      'INSERT INTO policies (agent_id, version, created_at, body) VALUES (?, ?, ?, ?)',
    );
    this.policyAt = db.prepare('SELECT body FROM policies WHERE agent_id = ? AND version = ?');
    this.setVersion = db.prepare(
      'UPDATE agents SET policy_version = ?, updated_at = ? WHERE id = ?',
    );
    this.setStatusStmt = db.prepare('UPDATE agents SET status = ?, updated_at = ? WHERE id = ?');
    this.setFundingStmt = db.prepare(
      'UPDATE agents SET funding_source_id = ?, updated_at = ? WHERE id = ?',
    );
  }

  get(id: string): Agent | undefined {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = this.byId.get(id);
    if (!row) return undefined;
    const agent = fromRow(row);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, agent);
    return agent;
  }

  clearCache(): void {
    this.cache.clear();
  }

  list(): Agent[] {
    return this.all.all().map(fromRow);
  }

  insert(
    agent: { id: string; name: string; mode: Mode; fundingSourceId: string },
    policy: Policy,
    now: number,
  ): void {
    this.insertAgent.run({ ...agent, now });
    this.insertPolicy.run(agent.id, 1, now, serializePolicy(policy));
  }

  policy(agentId: string, version: number): Policy {
    const row = this.policyAt.get(agentId, version);
    if (!row) throw new Error(`agent ${agentId} has no policy version ${version}`);
    return parsePolicy(row.body, version);
  }

  addPolicyVersion(agentId: string, policy: Policy, now: number): void {
    this.insertPolicy.run(agentId, policy.version, now, serializePolicy(policy));
    this.setVersion.run(policy.version, now, agentId);
    this.cache.delete(agentId);
  }

  setStatus(agentId: string, status: AgentStatus, now: number): void {
    this.setStatusStmt.run(status, now, agentId);
    this.cache.delete(agentId);
  }

  /** Moves the agent to another funding source (its Purser-held wallet's, docs/chain.md). */
  setFundingSource(agentId: string, fundingSourceId: string, now: number): void {
    this.setFundingStmt.run(fundingSourceId, now, agentId);
    this.cache.delete(agentId);
  }
}
