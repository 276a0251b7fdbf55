/**
 * What the tray shows, as a reducer over the owner's event stream: which spend and budget
 * requests wait for the owner, whether agents are paused, whether the wallet is reachable.
 * Each step also says which notifications to show (one per request that newly waits).
 * Plain functions: tray.ts and main.ts only draw what these decide.
 */
import type { AlertEvent, OwnerEvent, PendingBudget, PendingSpend } from './owner-events';

export interface TrayState {
  /** Ids of the spend requests that wait for the owner. */
  spends: ReadonlySet<string>;
  /** Ids of the budget requests that wait for the owner. */
  budgets: ReadonlySet<string>;
  frozen: boolean;
  /** The owner's settings: notifications on or off, and start at login (null until read). */
  notifications: boolean;
  startAtLogin: boolean | null;
  /** The event stream is open (the count is current). */
  connected: boolean;
  /** A snapshot of the approvals has been read at least once. */
  synced: boolean;
}

export const initialTrayState: TrayState = {
  spends: new Set(),
  budgets: new Set(),
  frozen: false,
  notifications: true,
  startAtLogin: null,
  connected: false,
  synced: false,
};

export type TrayNotice =
  | { type: 'spend'; spend: PendingSpend }
  | { type: 'budget_request'; request: PendingBudget }
  | { type: 'alert'; alert: AlertEvent };

export type TrayAction =
  | { type: 'event'; event: OwnerEvent }
  | { type: 'connection'; connected: boolean }
  /**
   * The approvals list read just after the stream (re)opened. `announce`: notify the
   * requests in it that were not known (they arrived while the stream was down); false for
   * the first read at start, when the tray count is enough.
   */
  | {
      type: 'snapshot';
      spends: readonly PendingSpend[];
      budgets: readonly PendingBudget[];
      frozen: boolean;
      notifications?: boolean;
      startAtLogin?: boolean;
      announce: boolean;
    };

export interface TrayStep {
  state: TrayState;
  notify: TrayNotice[];
}

function withId(set: ReadonlySet<string>, id: string, present: boolean): ReadonlySet<string> {
  if (set.has(id) === present) return set;
  const next = new Set(set);
  if (present) next.add(id);
  else next.delete(id);
  return next;
}

export function reduceTray(state: TrayState, action: TrayAction): TrayStep {
  const step = reduceAction(state, action);
  // Notifications off (a setting of the owner's): the tray still counts, nothing pops up.
  return step.state.notifications ? step : { state: step.state, notify: [] };
}

function reduceAction(state: TrayState, action: TrayAction): TrayStep {
  switch (action.type) {
    case 'connection':
      return { state: { ...state, connected: action.connected }, notify: [] };
    case 'snapshot': {
      const notify: TrayNotice[] = [];
      if (action.announce) {
        for (const spend of action.spends)
          if (!state.spends.has(spend.id)) notify.push({ type: 'spend', spend });
        for (const request of action.budgets)
          if (!state.budgets.has(request.id)) notify.push({ type: 'budget_request', request });
      }
      return {
        state: {
          ...state,
          spends: new Set(action.spends.map((s) => s.id)),
          budgets: new Set(action.budgets.map((b) => b.id)),
          frozen: action.frozen,
          notifications: action.notifications ?? state.notifications,
          startAtLogin: action.startAtLogin ?? state.startAtLogin,
          synced: true,
        },
        notify,
      };
    }
    case 'event':
      return reduceEvent(state, action.event);
  }
}

function reduceEvent(state: TrayState, event: OwnerEvent): TrayStep {
  switch (event.type) {
    case 'spend': {
      const { spend } = event;
      const waits = spend.status === 'needs_approval';
      const isNew = waits && !state.spends.has(spend.id);
      return {
        state: { ...state, spends: withId(state.spends, spend.id, waits) },
        notify: isNew ? [{ type: 'spend', spend }] : [],
      };
    }
    case 'budget_request': {
      const { request } = event;
      const waits = request.status === 'pending';
      const isNew = waits && !state.budgets.has(request.id);
      return {
        state: { ...state, budgets: withId(state.budgets, request.id, waits) },
        notify: isNew ? [{ type: 'budget_request', request }] : [],
      };
    }
    case 'settings':
      return {
        state: {
          ...state,
          frozen: event.frozen,
          notifications: event.notifications,
          startAtLogin: event.startAtLogin,
        },
        notify: [],
      };
    case 'alert':
      return { state, notify: [{ type: 'alert', alert: event.alert }] };
  }
}

export function pendingCount(state: TrayState): number {
  return state.spends.size + state.budgets.size;
}

/** The pre-rendered icons (electron/resources/tray/, drawn by tray-icons.ts). */
export type TrayIconName =
  'idle' | 'paused' | 'offline' | `count-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}` | 'count-9plus';

/** Requests waiting win over "paused": they need the owner either way. */
export function trayIconName(state: TrayState): TrayIconName {
  if (!state.connected && !state.synced) return 'offline';
  const count = pendingCount(state);
  if (count > 9) return 'count-9plus';
  if (count > 0) return `count-${count as 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`;
  return state.frozen ? 'paused' : 'idle';
}

export function pendingLabel(count: number): string {
  if (count === 0) return 'No requests wait for you';
  return count === 1 ? '1 request waits for you' : `${count} requests wait for you`;
}

/** The tray's status line: the count, and what else is worth knowing at a glance. */
export function trayStatus(state: TrayState): string {
  if (!state.synced) return state.connected ? 'Reading the approvals…' : 'Starting the wallet…';
  const parts = [pendingLabel(pendingCount(state))];
  if (state.frozen) parts.push('all agents paused');
  if (!state.connected) parts.push('reconnecting…');
  return parts.join(' · ');
}

export type TrayMenuItemId = 'status' | 'show' | 'pause' | 'login' | 'quit';

/** A menu item, described without Electron (tray.ts turns these into a Menu). */
export type TrayMenuItem =
  | { type: 'separator' }
  | {
      type: 'normal' | 'checkbox';
      id: TrayMenuItemId;
      label: string;
      enabled: boolean;
      checked?: boolean;
    };

export interface TrayView {
  icon: TrayIconName;
  tooltip: string;
  /** Text beside the icon in the macOS menu bar; '' for none. */
  title: string;
  /** The dock or launcher badge; 0 clears it. */
  badge: number;
  /**
   * The context menu. On Linux a click on the icon may never reach the app, so the menu
   * is the way in everywhere: show, pause all, quit.
   */
  menu: TrayMenuItem[];
}

export function trayView(
  state: TrayState,
  options: { openAtLogin: boolean; loginItemSupported: boolean },
): TrayView {
  const count = pendingCount(state);
  const status = trayStatus(state);
  const menu: TrayMenuItem[] = [
    { type: 'normal', id: 'status', label: status, enabled: false },
    { type: 'separator' },
    {
      type: 'normal',
      id: 'show',
      label: count > 0 ? 'Show the requests' : 'Show Purser',
      enabled: true,
    },
    {
      type: 'normal',
      id: 'pause',
      label: state.frozen ? 'All agents are paused' : 'Pause all agents',
      // Pausing needs the wallet; resuming is done in the window, on purpose.
      enabled: !state.frozen && state.connected,
    },
    { type: 'separator' },
  ];
  if (options.loginItemSupported)
    menu.push(
      {
        type: 'checkbox',
        id: 'login',
        label: 'Start Purser at login',
        enabled: true,
        checked: options.openAtLogin,
      },
      { type: 'separator' },
    );
  menu.push({ type: 'normal', id: 'quit', label: 'Quit Purser', enabled: true });
  return {
    icon: trayIconName(state),
    tooltip: `Purser: ${status}`,
    title: count > 0 ? String(count) : '',
    badge: count,
    menu,
  };
}

/**
 * Whether app.setBadgeCount shows anything here: the dock on macOS, Unity-style launchers
 * on Linux. Windows has no badge count; the taskbar button gets an overlay icon instead.
 */
export function badgeKind(platform: NodeJS.Platform): 'badge-count' | 'overlay-icon' | 'none' {
  if (platform === 'darwin' || platform === 'linux') return 'badge-count';
  return platform === 'win32' ? 'overlay-icon' : 'none';
}
