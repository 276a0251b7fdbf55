/**
 * The main process as an owner API client of its own wallet, over HTTP on 127.0.0.1 with
 * the owner's secret: it follows the event stream (`GET /admin/v1/events`, the same one
 * the window follows), reads the approvals list when the stream (re)opens, and pauses all
 * agents from the tray. Plain Node (fetch, eventsource-parser): tested against the real
 * server.
 */
import { createParser } from 'eventsource-parser';
import { ownerContract } from '../../shared/contract/owner';

import {
  approvalsSnapshot,
  parseOwnerEvent,
  parseDeskSettings,
  type DeskSettings,
  type OwnerEvent,
  type PendingBudget,
  type PendingSpend,
} from './owner-events';
import {
  initialTrayState,
  reduceTray,
  type TrayAction,
  type TrayNotice,
  type TrayState,
} from './tray-state';

// Paths from the owner contract (shared/contract/), as every other owner client takes them.
const { listApprovals, getSettings, freeze, updateSettings, events } = ownerContract;

type Fetch = typeof globalThis.fetch;

export interface OwnerApi {
  /** What waits for the owner now, and whether agents are paused. */
  snapshot(): Promise<{ spends: PendingSpend[]; budgets: PendingBudget[] } & DeskSettings>;
  /** Pauses every agent (`POST /admin/v1/freeze`). */
  freeze(): Promise<void>;
  /** The owner's start-at-login setting (`PATCH /admin/v1/settings`). */
  setStartAtLogin(enabled: boolean): Promise<void>;
}

export function ownerApi(baseUrl: string, ownerToken: string, fetchImpl: Fetch = fetch): OwnerApi {
  const headers = { authorization: `Bearer ${ownerToken}` };
  const getJson = async (path: string): Promise<unknown> => {
    const response = await fetchImpl(`${baseUrl}${path}`, { headers });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };
  return {
    async snapshot() {
      const [approvals, settings] = await Promise.all([
        // The largest page per agent: with the default cap of 20 waiting requests per agent
        // (docs/money-integrity.md) every pending request is listed, so the count is exact.
        getJson(`${listApprovals.path}?limit=200`),
        getJson(getSettings.path),
      ]);
      const a = approvalsSnapshot.parse(approvals);
      return {
        spends: a.spend_requests,
        budgets: a.budget_requests,
        ...parseDeskSettings(settings),
      };
    },
    async freeze() {
      const response = await fetchImpl(`${baseUrl}${freeze.path}`, {
        method: freeze.method,
        headers,
      });
      if (!response.ok) throw new Error(`${freeze.path}: HTTP ${response.status}`);
    },
    async setStartAtLogin(enabled) {
      const response = await fetchImpl(`${baseUrl}${updateSettings.path}`, {
        method: updateSettings.method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ start_at_login: enabled }),
      });
      if (!response.ok) throw new Error(`${updateSettings.path}: HTTP ${response.status}`);
    },
  };
}

export interface FollowOptions {
  baseUrl: string;
  ownerToken: string;
  onEvent(event: OwnerEvent): void;
  /** The stream is open: from here on, every change is heard. */
  onOpen(): void;
  /** The stream closed or could not open; it is opened again after a pause. */
  onClose(reason: string): void;
  fetch?: Fetch;
  /** Pauses between attempts, the last one repeated: a wallet that restarts is found again. */
  retryDelaysMs?: readonly number[];
}

export interface Follower {
  close(): void;
}

/** The pause before attempt `attempt` (0-based) to reopen the stream. */
export function retryDelay(attempt: number, delays: readonly number[]): number {
  return delays[Math.min(attempt, delays.length - 1)] ?? 1_000;
}

/**
 * Follows the owner's event stream until closed, reopening it when it drops. The server
 * writes `: connected` once it listens (electron/api/routes/owner/events.ts), which is
 * when onOpen is called: events are heard from then on, so a snapshot read afterwards
 * misses nothing.
 */
export function followOwnerEvents(options: FollowOptions): Follower {
  const fetchImpl = options.fetch ?? fetch;
  const delays = options.retryDelaysMs ?? [500, 1_000, 2_000, 5_000];
  const abort = new AbortController();
  let attempt = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      abort.signal.addEventListener('abort', done, { once: true });
    });

  const once = async (): Promise<string> => {
    const response = await fetchImpl(`${options.baseUrl}${events.path}`, {
      headers: { authorization: `Bearer ${options.ownerToken}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return `the event stream answered HTTP ${response.status}`;
    }
    const parser = createParser({
      onEvent: (message) => {
        const event = parseOwnerEvent(message.event, message.data);
        if (event) options.onEvent(event);
      },
      onComment: (comment) => {
        if (comment.trim() !== 'connected') return;
        attempt = 0;
        options.onOpen();
      },
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'the event stream ended';
      parser.feed(decoder.decode(value, { stream: true }));
    }
  };

  void (async () => {
    while (!abort.signal.aborted) {
      let reason: string;
      try {
        reason = await once();
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      if (abort.signal.aborted) return;
      options.onClose(reason);
      await wait(retryDelay(attempt, delays));
      attempt += 1;
    }
  })();

  return { close: () => abort.abort() };
}

export interface TrayFeedOptions {
  baseUrl: string;
  ownerToken: string;
  /** Every change of state, with the notifications it calls for. */
  onChange(state: TrayState, notify: TrayNotice[]): void;
  fetch?: Fetch;
  retryDelaysMs?: readonly number[];
  log?(message: string): void;
}

/**
 * The tray's view of the wallet: the event stream folded into TrayState. Each time the
 * stream opens, the approvals list is read so that the count is right even if events were
 * missed while it was down; requests that appeared meanwhile are announced then (not at
 * the first read: at start the tray count says it). A request that leaves the list while
 * that read is under way is not put back by it.
 */
export class TrayFeed {
  private current: TrayState = initialTrayState;
  private follower: Follower | undefined;
  private syncs = 0;
  private leftDuringSync: Set<string> | undefined;
  private readonly api: OwnerApi;

  constructor(private readonly options: TrayFeedOptions) {
    this.api = ownerApi(options.baseUrl, options.ownerToken, options.fetch);
  }

  get state(): TrayState {
    return this.current;
  }

  start(): void {
    this.follower ??= followOwnerEvents({
      baseUrl: this.options.baseUrl,
      ownerToken: this.options.ownerToken,
      fetch: this.options.fetch,
      retryDelaysMs: this.options.retryDelaysMs,
      onOpen: () => {
        this.apply({ type: 'connection', connected: true });
        void this.sync();
      },
      onClose: (reason) => {
        this.options.log?.(`event stream: ${reason}`);
        this.apply({ type: 'connection', connected: false });
      },
      onEvent: (event) => {
        if (this.leftDuringSync) {
          if (event.type === 'spend' && event.spend.status !== 'needs_approval')
            this.leftDuringSync.add(event.spend.id);
          if (event.type === 'budget_request' && event.request.status !== 'pending')
            this.leftDuringSync.add(event.request.id);
        }
        this.apply({ type: 'event', event });
      },
    });
  }

  freeze(): Promise<void> {
    return this.api.freeze();
  }

  setStartAtLogin(enabled: boolean): Promise<void> {
    return this.api.setStartAtLogin(enabled);
  }

  close(): void {
    this.follower?.close();
    this.follower = undefined;
  }

  private async sync(): Promise<void> {
    const left = new Set<string>();
    this.leftDuringSync = left;
    try {
      const snapshot = await this.api.snapshot();
      this.apply({
        type: 'snapshot',
        spends: snapshot.spends.filter((s) => !left.has(s.id)),
        budgets: snapshot.budgets.filter((b) => !left.has(b.id)),
        frozen: snapshot.frozen,
        notifications: snapshot.notifications,
        startAtLogin: snapshot.startAtLogin,
        announce: this.syncs > 0,
      });
      this.syncs += 1;
    } catch (error) {
      this.options.log?.(
        `could not read the approvals: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      if (this.leftDuringSync === left) this.leftDuringSync = undefined;
    }
  }

  private apply(action: TrayAction): void {
    const step = reduceTray(this.current, action);
    this.current = step.state;
    this.options.onChange(step.state, step.notify);
  }
}
