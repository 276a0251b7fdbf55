/**
 * The main process as an owner API client of its own wallet, over HTTP on 127.0.0.1 with
 * the owner's secret: it follows the event stream (`GET /admin/v1/events`, the same one
 * the window follows), reads the approvals list when the stream (re)opens, and pauses all
 * agents from the tray. Plain Node (fetch, eventsource-parser): tested against the real
 * server.
 */
import { createOwnerClient, type OwnerClient } from '../../shared/contract/owner-client';
import { followOwnerEvents, type Follower } from '../../shared/contract/event-follower';
import {
  approvalsSnapshot,
  parseDeskSettings,
  parseOwnerEvent,
  type DeskSettings,
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

export { retryDelay } from '../../shared/contract/event-follower';

type Fetch = typeof globalThis.fetch;

export interface OwnerApi {
  /** What waits for the owner now, and whether agents are paused. */
  snapshot(): Promise<{ spends: PendingSpend[]; budgets: PendingBudget[] } & DeskSettings>;
  /** Pauses every agent (`POST /admin/v1/freeze`). */
  freeze(): Promise<void>;
  /** The owner's start-at-login setting (`PATCH /admin/v1/settings`). */
  setStartAtLogin(enabled: boolean): Promise<void>;
}

/** The shell's adapter of the one owner client (shared/contract/owner-client.ts). */
export function shellClient(baseUrl: string, ownerToken: string, fetchImpl?: Fetch): OwnerClient {
  return createOwnerClient({
    baseUrl,
    token: () => ownerToken,
    fetch: fetchImpl,
    refused: (status, envelope) =>
      new Error(
        `the owner API answered HTTP ${status}${envelope ? `: ${envelope.error.message}` : ''}`,
      ),
  });
}

export function ownerApi(client: OwnerClient): OwnerApi {
  return {
    async snapshot() {
      const [approvals, settings] = await Promise.all([
        // The largest page per agent: with the default cap of 20 waiting requests per agent
        // (docs/money-integrity.md) every pending request is listed, so the count is exact.
        client.call('listApprovals', { query: { limit: '200' } }),
        client.call('getSettings'),
      ]);
      const a = approvalsSnapshot.parse(approvals);
      return {
        spends: a.spend_requests,
        budgets: a.budget_requests,
        ...parseDeskSettings(settings),
      };
    },
    async freeze() {
      await client.call('freeze');
    },
    async setStartAtLogin(enabled) {
      await client.call('updateSettings', { body: { start_at_login: enabled } });
    },
  };
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
  private readonly client: OwnerClient;
  private readonly api: OwnerApi;

  constructor(private readonly options: TrayFeedOptions) {
    this.client = shellClient(options.baseUrl, options.ownerToken, options.fetch);
    this.api = ownerApi(this.client);
  }

  get state(): TrayState {
    return this.current;
  }

  start(): void {
    this.follower ??= followOwnerEvents({
      client: this.client,
      retryDelaysMs: this.options.retryDelaysMs,
      onOpen: () => {
        this.apply({ type: 'connection', connected: true });
        void this.sync();
      },
      onClose: (reason) => {
        this.options.log?.(`event stream: ${reason}`);
        this.apply({ type: 'connection', connected: false });
      },
      // Only the fields the tray uses, from the contract's schemas (owner-events.ts): a
      // newer server's extra fields do not silence the tray.
      parse: parseOwnerEvent,
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
