import { EventEmitter } from 'node:events';
import { HOUR_MS, MINUTE_MS } from '../core/clock';
import { randomBase62 } from '../core/ids';
import { hashKey } from '../core/keys/key-repository';

const CODE_TTL_MS = 10 * MINUTE_MS;
/** A session nobody has used for this long has ended (docs/trust-model.md). */
export const SESSION_IDLE_MS = 12 * HOUR_MS;
/** Session tokens: `pos_` and 43 base62 characters (about 256 bits). */
export const SESSION_TOKEN = /^pos_[0-9A-Za-z]{43}$/;

export interface OwnerSession {
  /** Public id (`ses_…`): listed and revoked by it; it opens nothing. */
  readonly id: string;
  readonly label: string;
  readonly createdAt: number;
  lastUsedAt: number;
}

export interface SessionGrant {
  token: string;
  session: OwnerSession;
}

/**
 * Owner sessions of the window, in memory only (they end with the process).
 *
 * A login link carries a one-time code; the page swaps it for a session token that it
 * keeps in sessionStorage and sends as `Authorization: Bearer pos_…`. It never rides in a
 * cookie: browsers send 127.0.0.1 cookies to every port of 127.0.0.1, so any local
 * program the owner's browser visits would receive it (docs/trust-model.md).
 *
 * Only hashes of codes and tokens are kept, looked up by hash: a lookup's timing can only
 * tell an attacker about the SHA-256 of what they sent, never about a stored secret.
 * Emits `ended` with the session id when a session is revoked or found idle, so open
 * event streams of that session close at once.
 */
export class OwnerSessions extends EventEmitter<{ ended: [id: string] }> {
  private readonly codes = new Map<string, { expires: number; label: string }>();
  private readonly byHash = new Map<string, OwnerSession>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly idleMs = SESSION_IDLE_MS,
  ) {
    super();
    // One listener per open event stream of the window; there is no leak to warn about.
    this.setMaxListeners(0);
  }

  /** A fresh single-use code, valid for ten minutes; `label` names the session it opens. */
  createCode(label = 'browser'): string {
    this.dropStaleCodes();
    const code = randomBase62(32);
    this.codes.set(digest(code), { expires: this.now() + CODE_TTL_MS, label });
    return code;
  }

  /** Spends a code; a new session, or undefined if the code is unknown, used or old. */
  redeem(code: string): SessionGrant | undefined {
    const key = digest(code);
    const entry = this.codes.get(key);
    this.codes.delete(key);
    if (entry === undefined || this.now() > entry.expires) return undefined;
    return this.open(entry.label);
  }

  /** A session opened directly, for callers that already hold the owner's secret. */
  open(label: string): SessionGrant {
    const token = `pos_${randomBase62(43)}`;
    const now = this.now();
    const session: OwnerSession = {
      id: `ses_${randomBase62(16)}`,
      label,
      createdAt: now,
      lastUsedAt: now,
    };
    this.byHash.set(digest(token), session);
    return { token, session };
  }

  /**
   * The live session a token opens, marking it used; undefined for anything else. A
   * session found idle is ended here, so it never comes back.
   */
  use(token: string): OwnerSession | undefined {
    if (!SESSION_TOKEN.test(token)) return undefined;
    const key = digest(token);
    const session = this.byHash.get(key);
    if (!session) return undefined;
    if (this.expired(session)) {
      this.end(key, session);
      return undefined;
    }
    session.lastUsedAt = this.now();
    return session;
  }

  /** Whether a session is still live, without counting as use (event streams ask this). */
  isLive(id: string): boolean {
    for (const [key, session] of this.byHash) {
      if (session.id !== id) continue;
      if (!this.expired(session)) return true;
      this.end(key, session);
      return false;
    }
    return false;
  }

  expiresAt(session: OwnerSession): number {
    return session.lastUsedAt + this.idleMs;
  }

  /** Live sessions, oldest first; idle ones are ended on the way. */
  list(): OwnerSession[] {
    for (const [key, session] of this.byHash) if (this.expired(session)) this.end(key, session);
    return [...this.byHash.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Ends one session by its public id; false if there is no such live session. */
  revoke(id: string): boolean {
    for (const [key, session] of this.byHash) {
      if (session.id === id) {
        this.end(key, session);
        return true;
      }
    }
    return false;
  }

  /** Ends every session; returns how many there were. */
  revokeAll(): number {
    const all = [...this.byHash];
    for (const [key, session] of all) this.end(key, session);
    return all.length;
  }

  private expired(session: OwnerSession): boolean {
    return this.now() - session.lastUsedAt >= this.idleMs;
  }

  private end(key: string, session: OwnerSession): void {
    this.byHash.delete(key);
    this.emit('ended', session.id);
  }

  private dropStaleCodes(): void {
    const now = this.now();
    for (const [key, entry] of this.codes) if (now > entry.expires) this.codes.delete(key);
  }
}

function digest(secret: string): string {
  return hashKey(secret).toString('hex');
}
