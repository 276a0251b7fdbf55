import { timingSafeEqual } from 'node:crypto';
import { randomBase62 } from '../core/ids';
import { hashKey } from '../core/keys/keys';
import { MINUTE_MS } from '../core/clock';

export const SESSION_COOKIE = 'purser_session';
const CODE_TTL_MS = 10 * MINUTE_MS;

/**
 * Browser sessions for headless mode, like a notebook server's login link: `purser serve`
 * prints a one-time link; opening it swaps the code for an HttpOnly, SameSite=Strict
 * cookie. Codes and sessions live in memory only and end with the process.
 */
export class OwnerSessions {
  private readonly codes = new Map<string, number>();
  private readonly sessions = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A fresh single-use code, valid for ten minutes. */
  createCode(): string {
    const code = randomBase62(32);
    this.codes.set(hashKey(code).toString('hex'), this.now() + CODE_TTL_MS);
    return code;
  }

  /** Spends a code; returns a new session id, or undefined if the code is unknown, used or old. */
  redeem(code: string): string | undefined {
    const key = hashKey(code).toString('hex');
    const expires = this.codes.get(key);
    this.codes.delete(key);
    if (expires === undefined || this.now() > expires) return undefined;
    const session = randomBase62(43);
    this.sessions.add(hashKey(session).toString('hex'));
    return session;
  }

  isValid(session: string | undefined): boolean {
    if (!session) return false;
    const wanted = hashKey(session);
    for (const known of this.sessions) {
      if (timingSafeEqual(Buffer.from(known, 'hex'), wanted)) return true;
    }
    return false;
  }
}

/** The value of one cookie from a Cookie header (we set exactly one, so no parser library). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
