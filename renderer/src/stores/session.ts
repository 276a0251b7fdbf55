import { create } from 'zustand';
import type { SessionGrantView } from '../../../shared/schemas/sessions';

/** Where the page keeps its session token: this tab only, kept across a reload. */
const STORAGE_KEY = 'purser.session';

export type SessionStatus =
  | { state: 'none' }
  | { state: 'logging_in' }
  | { state: 'active'; token: string }
  | { state: 'ended'; why: 'ended' | 'logged_out' | 'bad_link' };

interface SessionState {
  status: SessionStatus;
  /** The token to send, if the session is live. */
  token(): string | null;
  /** Reads the login link's code from the address, or the token kept in this tab. */
  start(): Promise<void>;
  /** The server refused our token: the session ended (idle, revoked, or a restart). */
  ended(): void;
  logOut(): Promise<void>;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the session lasts as long as the page
  }
}

/** `#code=…` from a login link; the fragment is never sent to any server. */
export function codeFromHash(hash: string): string | null {
  const match = /^#code=([0-9A-Za-z]{16,100})$/.exec(hash);
  return match?.[1] ?? null;
}

/**
 * The owner session of this window (docs/trust-model.md). The credential never rides in
 * a cookie, which every local port would receive: the one-time code from the login link
 * is swapped for a token that only this page holds and sends as a header.
 */
export const useSession = create<SessionState>((set, get) => ({
  status: { state: 'none' },
  token() {
    const status = get().status;
    return status.state === 'active' ? status.token : null;
  },
  async start() {
    const code = codeFromHash(window.location.hash);
    if (code === null) {
      const kept = storage()?.getItem(STORAGE_KEY);
      set({ status: kept ? { state: 'active', token: kept } : { state: 'none' } });
      return;
    }
    // Out of the address bar (and history) before anything else can read or share it.
    history.replaceState(null, '', `${window.location.pathname}#/overview`);
    set({ status: { state: 'logging_in' } });
    try {
      const response = await fetch('/admin/v1/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
        credentials: 'omit',
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const grant = (await response.json()) as SessionGrantView;
      storage()?.setItem(STORAGE_KEY, grant.token);
      set({ status: { state: 'active', token: grant.token } });
    } catch {
      storage()?.removeItem(STORAGE_KEY);
      set({ status: { state: 'ended', why: 'bad_link' } });
    }
  },
  ended() {
    storage()?.removeItem(STORAGE_KEY);
    if (get().status.state === 'active') set({ status: { state: 'ended', why: 'ended' } });
  },
  async logOut() {
    const token = get().token();
    storage()?.removeItem(STORAGE_KEY);
    set({ status: { state: 'ended', why: 'logged_out' } });
    if (token) {
      await fetch('/admin/v1/logout', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        credentials: 'omit',
      }).catch(() => undefined);
    }
  },
}));
