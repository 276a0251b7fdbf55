import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../sha256';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import { SCOPES, type Mode, type Scope } from '../../../shared/domain';
import { PurserError } from '../errors';
import { newId, randomBase62 } from '../ids';

/** `psk_live_` or `psk_test_` and at least 32 base62 characters. Ours carry 40 (≈238 bits). */
export const KEY_PATTERN = /^psk_(live|test)_[0-9A-Za-z]{32,200}$/;
const SECRET_LENGTH = 40;

export interface ApiKey {
  id: string;
  agentId: string;
  mode: Mode;
  prefix: string;
  last4: string;
  scopes: Scope[];
  label: string | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** Who is calling, once a spending key has been checked. */
export interface KeyAuth {
  readonly keyId: string;
  readonly agentId: string;
  readonly mode: Mode;
  readonly scopes: readonly Scope[];
  readonly expiresAt: number | null;
}

interface Row {
  id: string;
  agent_id: string;
  mode: Mode;
  hash: Buffer;
  prefix: string;
  last4: string;
  scopes: string;
  label: string | null;
  created_at: bigint;
  expires_at: bigint | null;
  revoked_at: bigint | null;
}

const fromRow = (r: Row): ApiKey => ({
  id: r.id,
  agentId: r.agent_id,
  mode: r.mode,
  prefix: r.prefix,
  last4: r.last4,
  scopes: JSON.parse(r.scopes) as Scope[],
  label: r.label,
  createdAt: Number(r.created_at),
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

/**
 * Keys are high-entropy random strings, so one SHA-256 is the right hash: there is nothing
 * to stretch, and verifying stays cheap enough to do on every request.
 */
export function hashKey(plaintext: string): Buffer {
  return sha256(plaintext);
}

/**
 * SQL for spending keys. Every agent request authenticates, so key rows are cached by
 * hash; issuing and revoking go through here and keep the cache exact (a revoked key is
 * refused from the next request on), and a rollback clears it.
 */
export class KeyRepository {
  /** Rows by base64 hash, with the KeyAuth built once (it is frozen and shared). */
  private readonly byHashCache = new Map<string, { row: Row; auth: KeyAuth }>();
  private readonly byHash: Statement<[Buffer], Row>;
  private readonly byId: Statement<[string], Row>;
  private readonly forAgent: Statement<[string], Row>;
  private readonly insert: Statement;
  private readonly revokeStmt: Statement<[number, string]>;

  constructor(db: Db) {
    this.byHash = db.prepare('SELECT * FROM api_keys WHERE hash = ?');
    this.byId = db.prepare('SELECT * FROM api_keys WHERE id = ?');
    this.forAgent = db.prepare('SELECT * FROM api_keys WHERE agent_id = ? ORDER BY created_at, id');
    this.insert = db.prepare(
      `INSERT INTO api_keys (id, agent_id, mode, hash, prefix, last4, scopes, label, created_at, expires_at)
       VALUES (@id, @agentId, @mode, @hash, @prefix, @last4, @scopes, @label, @createdAt, @expiresAt)`,
    );
    this.revokeStmt = db.prepare(
      'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    );
  }

  /** Creates a key and returns its plaintext: the only time anyone sees it. */
  issue(
    input: {
      agentId: string;
      mode: Mode;
      scopes: readonly Scope[];
      label: string | null;
      expiresAt: number | null;
    },
    now: number,
  ): { key: ApiKey; plaintext: string } {
    const plaintext = `psk_${input.mode}_${randomBase62(SECRET_LENGTH)}`;
    const id = newId('key');
    const scopes = SCOPES.filter((s) => input.scopes.includes(s));
    this.insert.run({
      id,
      agentId: input.agentId,
      mode: input.mode,
      hash: hashKey(plaintext),
      prefix: plaintext.slice(0, 13),
      last4: plaintext.slice(-4),
      scopes: JSON.stringify(scopes),
      label: input.label,
      createdAt: now,
      expiresAt: input.expiresAt,
    });
    const key = this.get(id);
    if (!key) throw new Error('key vanished after insert');
    return { key, plaintext };
  }

  get(id: string): ApiKey | undefined {
    const row = this.byId.get(id);
    return row && fromRow(row);
  }

  listForAgent(agentId: string): ApiKey[] {
    return this.forAgent.all(agentId).map(fromRow);
  }

  revoke(id: string, now: number): boolean {
    this.byHashCache.clear();
    return this.revokeStmt.run(now, id).changes > 0;
  }

  clearCache(): void {
    this.byHashCache.clear();
  }

  private findByHash(hash: Buffer): { row: Row; auth: KeyAuth } | undefined {
    const key = hash.toString('base64');
    const cached = this.byHashCache.get(key);
    if (cached) return cached;
    const row = this.byHash.get(hash);
    if (!row) return undefined;
    const apiKey = fromRow(row);
    const entry = {
      row,
      auth: Object.freeze({
        keyId: apiKey.id,
        agentId: apiKey.agentId,
        mode: apiKey.mode,
        scopes: Object.freeze(apiKey.scopes),
        expiresAt: apiKey.expiresAt,
      }),
    };
    // Only keys that exist are cached: a flood of made-up keys cannot grow the map.
    if (this.byHashCache.size > 10_000) this.byHashCache.clear();
    this.byHashCache.set(key, entry);
    return entry;
  }

  /**
   * Checks a bearer secret (docs/decision-order.md, step 1), by hash, so the index never sees
   * the secret; the stored hash is then compared in constant time.
   */
  authenticate(plaintext: string | undefined, now: number): KeyAuth {
    if (!plaintext || !KEY_PATTERN.test(plaintext)) {
      throw new PurserError(
        'invalid_api_key',
        'Missing or malformed spending key: send "Authorization: Bearer psk_…".',
      );
    }
    const hash = hashKey(plaintext);
    const found = this.findByHash(hash);
    if (!found || found.row.hash.length !== hash.length || !timingSafeEqual(found.row.hash, hash)) {
      throw new PurserError('invalid_api_key', 'Unknown spending key.');
    }
    const { row } = found;
    if (row.revoked_at !== null) {
      throw new PurserError(
        'revoked_api_key',
        'This spending key has been revoked; ask the owner for a new one.',
        { key_id: row.id },
      );
    }
    if (row.expires_at !== null && now >= Number(row.expires_at)) {
      throw new PurserError(
        'revoked_api_key',
        'This spending key has expired; ask the owner for a new one.',
        { key_id: row.id },
      );
    }
    return found.auth;
  }
}

export function requireScope(auth: KeyAuth, scope: Scope): void {
  if (!auth.scopes.includes(scope)) {
    throw new PurserError('insufficient_scope', `This key lacks the ${scope} scope.`, {
      required: scope,
      key_id: auth.keyId,
    });
  }
}
