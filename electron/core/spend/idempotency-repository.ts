import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import { PurserError } from '../errors';
import { canonicalJson } from '../canonical-json';
import { sha256 } from '../sha256';
import { DAY_MS } from '../clock';
import { idempotencyLookup } from './idempotency-lookup';

/**
 * An idempotency key, and what makes a retry "the same request": the request as its
 * transport normalised it (docs/decision-order.md, step 3). Its canonical JSON is hashed.
 */
export interface IdempotencyClaim {
  key: string;
  request: unknown;
}

/** How long a key is remembered: a week, well past the 24 hours clients may rely on. */
export const IDEMPOTENCY_RETENTION_MS = 7 * DAY_MS;

interface Row {
  route: string;
  body_hash: Buffer;
  object_id: string;
}

/**
 * Idempotency keys, per agent (docs/decision-order.md, step 3). Looked up and stored in the
 * same transaction as the decision, so a retry racing its original sees it.
 */
export class IdempotencyRepository {
  private readonly find: Statement<[bigint, string, string], Row>;
  private readonly insert: Statement;
  private readonly purge: Statement<[number]>;

  constructor(db: Db) {
    // Found through the hash index, then matched exactly (migration 0003 says why).
    this.find = db.prepare(
      'SELECT route, body_hash, object_id FROM idempotency WHERE lookup = ? AND agent_id = ? AND key = ?',
    );
    this.insert = db.prepare(
      `INSERT INTO idempotency (lookup, agent_id, key, route, body_hash, object_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    // Rows are appended in time order, so the expired ones are the oldest rowids: the purge
    // deletes up to the first row still inside the retention (migration 0006 says why there
    // is no index on the age). A row stored after a clock step back is kept until every
    // row before it has expired: a key is never forgotten early, only sometimes late.
    this.purge = db.prepare(
      `DELETE FROM idempotency WHERE id < coalesce(
         (SELECT id FROM idempotency WHERE created_at >= ? ORDER BY id LIMIT 1),
         (SELECT max(id) FROM idempotency) + 1)`,
    );
  }

  /**
   * The object an earlier call with this key created, or undefined for a fresh key.
   * Throws `idempotency_key_conflict` when the key was used for something else.
   */
  lookup(
    agentId: string,
    key: string,
    route: string,
    body: unknown,
  ): { objectId: string; bodyHash: Buffer } | { objectId: undefined; bodyHash: Buffer } {
    const bodyHash = sha256(canonicalJson(body));
    const row = this.find.get(this.hashOf(agentId, key), agentId, key);
    if (!row) return { objectId: undefined, bodyHash };
    if (row.route !== route || !row.body_hash.equals(bodyHash)) {
      throw new PurserError(
        'idempotency_key_conflict',
        'This idempotency key was already used for a different request. Use one key per logical request.',
        { idempotency_key: key, original_id: row.object_id },
      );
    }
    return { objectId: row.object_id, bodyHash };
  }

  remember(
    agentId: string,
    key: string,
    route: string,
    bodyHash: Buffer,
    objectId: string,
    now: number,
  ): void {
    this.insert.run(this.hashOf(agentId, key), agentId, key, route, bodyHash, objectId, now);
  }

  /** A fresh key is looked up, then remembered: one hash serves both. */
  private last: { agentId: string; key: string; hash: bigint } | undefined;
  private hashOf(agentId: string, key: string): bigint {
    const last = this.last;
    if (last?.agentId === agentId && last.key === key) return last.hash;
    const hash = idempotencyLookup(agentId, key);
    this.last = { agentId, key, hash };
    return hash;
  }

  /**
   * The idempotent-create pattern in one place: with no key, `create` runs; with a fresh
   * key, `create` runs and the key is remembered for the object it made; with a known key
   * and the same body, `replay` runs on the original object instead.
   */
  once<T>(
    scope: { agentId: string; claim: IdempotencyClaim | undefined; route: string; now: number },
    replay: (objectId: string) => T,
    create: () => { objectId: string; result: T },
  ): { replayed: boolean; result: T } {
    const { claim } = scope;
    if (claim === undefined) return { replayed: false, result: create().result };
    const hit = this.lookup(scope.agentId, claim.key, scope.route, claim.request);
    if (hit.objectId !== undefined) return { replayed: true, result: replay(hit.objectId) };
    const made = create();
    this.remember(scope.agentId, claim.key, scope.route, hit.bodyHash, made.objectId, scope.now);
    return { replayed: false, result: made.result };
  }

  purgeOlderThan(cutoff: number): number {
    return this.purge.run(cutoff).changes;
  }
}
