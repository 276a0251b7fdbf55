import type { Statement } from 'better-sqlite3';
import { EXPIRY_BATCH } from '../db/committer';
import type { Db } from '../db/types';
import type { BudgetRequestStatus } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';

export interface BudgetRequestRecord {
  id: string;
  agentId: string;
  keyId: string;
  status: BudgetRequestStatus;
  requested: Micros;
  approved: Micros | null;
  spent: Micros;
  purpose: string;
  category: string | null;
  metadata: Record<string, unknown> | null;
  ownerComment: string | null;
  createdAt: number;
  decidedAt: number | null;
  /** Pending: when it lapses unanswered. Approved: when its window closes. */
  expiresAt: number;
  endedAt: number | null;
}

interface Row {
  id: string;
  agent_id: string;
  key_id: string;
  status: BudgetRequestStatus;
  requested_micros: bigint;
  approved_micros: bigint | null;
  spent_micros: bigint;
  purpose: string;
  category: string | null;
  metadata: string | null;
  owner_comment: string | null;
  created_at: bigint;
  decided_at: bigint | null;
  expires_at: bigint;
  ended_at: bigint | null;
}

const num = (v: bigint | null) => (v === null ? null : Number(v));

const fromRow = (r: Row): BudgetRequestRecord => ({
  id: r.id,
  agentId: r.agent_id,
  keyId: r.key_id,
  status: r.status,
  requested: r.requested_micros,
  approved: r.approved_micros,
  spent: r.spent_micros,
  purpose: r.purpose,
  category: r.category,
  metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
  ownerComment: r.owner_comment,
  createdAt: Number(r.created_at),
  decidedAt: num(r.decided_at),
  expiresAt: Number(r.expires_at),
  endedAt: num(r.ended_at),
});

/** SQL for budget requests. */
export class BudgetRepository {
  private readonly insertStmt: Statement;
  private readonly byId: Statement<[string], Row>;
  private readonly activeFor: Statement<[string], Row>;
  private readonly forAgent: Statement<[string, number], Row>;
  private readonly forAgentStatus: Statement<[string, string, number], Row>;
  private readonly all: Statement<[number], Row>;
  private readonly allStatus: Statement<[string, number], Row>;
  private readonly due: Statement<[number], Row>;
  private readonly anyDueStmt: Statement<[number], unknown>;
  private readonly approveStmt: Statement;
  private readonly endStmt: Statement;
  private readonly spendStmt: Statement;
  private readonly pendingCount: Statement<[], { n: bigint }>;
  private readonly activeCache = new Map<string, BudgetRequestRecord | undefined>();

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO budget_requests (id, agent_id, key_id, status, requested_micros, purpose, category, metadata,
         created_at, expires_at)
       VALUES (@id, @agentId, @keyId, 'pending', @requested, @purpose, @category, @metadata, @createdAt, @expiresAt)`,
    );
    this.byId = db.prepare('SELECT * FROM budget_requests WHERE id = ?');
    this.activeFor = db.prepare(
      "SELECT * FROM budget_requests WHERE agent_id = ? AND status IN ('pending', 'approved')",
    );
    this.forAgent = db.prepare(
      'SELECT * FROM budget_requests WHERE agent_id = ? ORDER BY created_at DESC, id LIMIT ?',
    );
    this.forAgentStatus = db.prepare(
      'SELECT * FROM budget_requests WHERE agent_id = ? AND status = ? ORDER BY created_at DESC, id LIMIT ?',
    );
    this.all = db.prepare('SELECT * FROM budget_requests ORDER BY created_at DESC, id LIMIT ?');
    this.allStatus = db.prepare(
      'SELECT * FROM budget_requests WHERE status = ? ORDER BY created_at DESC, id LIMIT ?',
    );
    // Run at the start of every write transaction: the limit is a literal, as in
    // SpendRepository, because a bound one made this query several times slower.
    this.due = db.prepare(
      `SELECT * FROM budget_requests WHERE status IN ('pending', 'approved') AND expires_at <= ?
       ORDER BY expires_at LIMIT ${EXPIRY_BATCH}`,
    );
    this.anyDueStmt = db.prepare(
      `SELECT 1 FROM budget_requests WHERE status IN ('pending', 'approved') AND expires_at <= ?
       LIMIT 1`,
    );
    this.approveStmt = db.prepare(
      `UPDATE budget_requests SET status = 'approved', approved_micros = @approved, owner_comment = @comment,
         decided_at = @now, expires_at = @windowEnd
       WHERE id = @id AND status = 'pending'`,
    );
    // Ends a request: rejected or expired from pending, exhausted or expired from approved.
    this.endStmt = db.prepare(
      `UPDATE budget_requests SET status = @status, ended_at = @now,
         decided_at = coalesce(decided_at, @now), owner_comment = coalesce(@comment, owner_comment)
       WHERE id = @id AND status IN ('pending', 'approved')`,
    );
    this.pendingCount = db.prepare(
      "SELECT count(*) AS n FROM budget_requests WHERE status = 'pending'",
    );
    this.spendStmt = db.prepare(
      'UPDATE budget_requests SET spent_micros = max(0, spent_micros + ?) WHERE id = ?',
    );
  }

  insert(r: {
    id: string;
    agentId: string;
    keyId: string;
    requested: Micros;
    purpose: string;
    category: string | null;
    metadata: Record<string, unknown> | null;
    createdAt: number;
    expiresAt: number;
  }): void {
    this.activeCache.clear();
    this.insertStmt.run({
      ...r,
      metadata: r.metadata === null ? null : JSON.stringify(r.metadata),
    });
  }

  get(id: string): BudgetRequestRecord | undefined {
    const row = this.byId.get(id);
    return row && fromRow(row);
  }

  /**
   * The agent's pending or approved request, if any (expired ones are ended by upkeep
   * first). Asked on every decision, so the answer is cached per agent; any write here,
   * and any rollback, drops the cache.
   */
  active(agentId: string): BudgetRequestRecord | undefined {
    if (this.activeCache.has(agentId)) return this.activeCache.get(agentId);
    const row = this.activeFor.get(agentId);
    const record = row && fromRow(row);
    if (this.activeCache.size > 10_000) this.activeCache.clear();
    this.activeCache.set(agentId, record);
    return record;
  }

  clearCache(): void {
    this.activeCache.clear();
  }

  countPending(): number {
    return Number(this.pendingCount.get()?.n ?? 0n);
  }

  listForAgent(
    agentId: string,
    status: BudgetRequestStatus | undefined,
    limit: number,
  ): BudgetRequestRecord[] {
    const rows = status
      ? this.forAgentStatus.all(agentId, status, limit)
      : this.forAgent.all(agentId, limit);
    return rows.map(fromRow);
  }

  list(status: BudgetRequestStatus | undefined, limit: number): BudgetRequestRecord[] {
    return (status ? this.allStatus.all(status, limit) : this.all.all(limit)).map(fromRow);
  }

  /** Pending requests and grants whose time is up, at most EXPIRY_BATCH at a time. */
  dueAt(now: number): BudgetRequestRecord[] {
    return this.due.all(now).map(fromRow);
  }

  anyDue(now: number): boolean {
    return this.anyDueStmt.get(now) !== undefined;
  }

  approve(
    id: string,
    approved: Micros,
    windowEnd: number,
    comment: string | null,
    now: number,
  ): boolean {
    this.activeCache.clear();
    return this.approveStmt.run({ id, approved, windowEnd, comment, now }).changes === 1;
  }

  end(
    id: string,
    status: 'rejected' | 'expired' | 'exhausted',
    now: number,
    comment: string | null = null,
  ): boolean {
    this.activeCache.clear();
    return this.endStmt.run({ id, status, now, comment }).changes === 1;
  }

  /** Adds to (or, negative, gives back to) what has been spent of an approved grant. */
  addSpent(id: string, delta: Micros): void {
    this.activeCache.clear();
    this.spendStmt.run(delta, id);
  }
}
