/** The tray as a reducer over the owner's event stream (electron/desktop/tray-state.ts). */
import { describe, expect, it } from 'vitest';
import {
  parseOwnerEvent,
  type PendingBudget,
  type PendingSpend,
} from '../../../electron/desktop/owner-events';
import {
  badgeKind,
  initialTrayState,
  pendingCount,
  pendingLabel,
  reduceTray,
  trayIconName,
  trayView,
  type TrayAction,
  type TrayState,
} from '../../../electron/desktop/tray-state';

const spend = (id: string, status = 'needs_approval'): PendingSpend => ({
  id,
  status: status as PendingSpend['status'],
  agent_name: 'research-bot',
  amount_micros: '12500000',
  merchant_name: 'AWS',
  reason: 'GPU time',
});
const budget = (id: string, status = 'pending'): PendingBudget => ({
  id,
  status: status as PendingBudget['status'],
  agent_name: 'research-bot',
  requested_amount_cents: 5_000,
  purpose: 'a week of evals',
});

function run(actions: TrayAction[], from: TrayState = initialTrayState) {
  let state = from;
  const notified: string[] = [];
  for (const action of actions) {
    const step = reduceTray(state, action);
    state = step.state;
    for (const n of step.notify)
      notified.push(
        n.type === 'spend'
          ? n.spend.id
          : n.type === 'budget_request'
            ? n.request.id
            : n.alert.message,
      );
  }
  return { state, notified };
}

const synced: TrayAction[] = [
  { type: 'connection', connected: true },
  { type: 'snapshot', spends: [], budgets: [], frozen: false, announce: false },
];

describe('the tray reducer', () => {
  it('counts spend and budget requests that wait, and notifies each new one once', () => {
    const { state, notified } = run([
      ...synced,
      { type: 'event', event: { type: 'spend', spend: spend('req_a') } },
      { type: 'event', event: { type: 'spend', spend: spend('req_a') } },
      { type: 'event', event: { type: 'budget_request', request: budget('breq_b') } },
    ]);
    expect(pendingCount(state)).toBe(2);
    expect(notified).toEqual(['req_a', 'breq_b']);
  });

  it('a decided, cancelled or expired request leaves the count, without a notification', () => {
    const { state, notified } = run([
      ...synced,
      { type: 'event', event: { type: 'spend', spend: spend('req_a') } },
      { type: 'event', event: { type: 'spend', spend: spend('req_b') } },
      { type: 'event', event: { type: 'budget_request', request: budget('breq_c') } },
      { type: 'event', event: { type: 'spend', spend: spend('req_a', 'approved') } },
      { type: 'event', event: { type: 'spend', spend: spend('req_b', 'expired') } },
      { type: 'event', event: { type: 'budget_request', request: budget('breq_c', 'rejected') } },
    ]);
    expect(pendingCount(state)).toBe(0);
    expect(notified).toEqual(['req_a', 'req_b', 'breq_c']);
  });

  it('a spend decided at once (never pending) changes nothing', () => {
    const before = run(synced).state;
    const step = reduceTray(before, {
      type: 'event',
      event: { type: 'spend', spend: spend('req_x', 'approved') },
    });
    expect(step.state.spends).toBe(before.spends);
    expect(step.notify).toEqual([]);
  });

  it('the first snapshot sets the count quietly; a later one announces what arrived meanwhile', () => {
    const first = run([
      { type: 'connection', connected: true },
      {
        type: 'snapshot',
        spends: [spend('req_a')],
        budgets: [budget('breq_b')],
        frozen: false,
        announce: false,
      },
    ]);
    expect(pendingCount(first.state)).toBe(2);
    expect(first.notified).toEqual([]);
    const later = run(
      [
        { type: 'connection', connected: false },
        { type: 'connection', connected: true },
        {
          type: 'snapshot',
          spends: [spend('req_a'), spend('req_new')],
          budgets: [],
          frozen: true,
          announce: true,
        },
      ],
      first.state,
    );
    expect(later.notified).toEqual(['req_new']);
    expect([...later.state.spends]).toEqual(['req_a', 'req_new']);
    expect(later.state.budgets.size).toBe(0);
    expect(later.state.frozen).toBe(true);
  });

  it('with notifications off, still counts but shows nothing; start at login is followed', () => {
    const { state, notified } = run([
      ...synced,
      {
        type: 'event',
        event: { type: 'settings', frozen: false, notifications: false, startAtLogin: true },
      },
      {
        type: 'event',
        event: { type: 'spend', spend: spend('req_quiet') },
      },
    ]);
    expect(notified).toEqual([]);
    expect([...state.spends]).toContain('req_quiet');
    expect(state.startAtLogin).toBe(true);
  });

  it('follows pausing, and passes alerts on as notifications', () => {
    const { state, notified } = run([
      ...synced,
      {
        type: 'event',
        event: { type: 'settings', frozen: true, notifications: true, startAtLogin: false },
      },
      {
        type: 'event',
        event: {
          type: 'alert',
          alert: {
            kind: 'agent_paused',
            agent_id: 'agt_1',
            agent_name: 'bot',
            object_id: 'x',
            message: 'paused',
          },
        },
      },
    ]);
    expect(state.frozen).toBe(true);
    expect(notified).toEqual(['paused']);
  });
});

describe('what the tray shows', () => {
  const at = (count: number, frozen = false): TrayState => ({
    ...initialTrayState,
    connected: true,
    synced: true,
    frozen,
    spends: new Set(Array.from({ length: count }, (_, i) => `req_${i}`)),
  });

  it('picks a pre-rendered icon: P, the count 1–9, 9+, paused, or the ring before it connects', () => {
    expect(trayIconName(initialTrayState)).toBe('offline');
    expect(trayIconName(at(0))).toBe('idle');
    expect(trayIconName(at(0, true))).toBe('paused');
    expect(trayIconName(at(1))).toBe('count-1');
    expect(trayIconName(at(9))).toBe('count-9');
    expect(trayIconName(at(10))).toBe('count-9plus');
    expect(trayIconName(at(250, true))).toBe('count-9plus');
    // Connected once, then lost: the last known count stays.
    expect(trayIconName({ ...at(3), connected: false })).toBe('count-3');
  });

  it('says the count in words', () => {
    expect(pendingLabel(0)).toBe('No requests wait for you');
    expect(pendingLabel(1)).toBe('1 request waits for you');
    expect(pendingLabel(12)).toBe('12 requests wait for you');
    expect(trayView(at(2, true), { openAtLogin: false, loginItemSupported: true }).tooltip).toBe(
      'Purser: 2 requests wait for you · all agents paused',
    );
    expect(
      trayView({ ...at(2), connected: false }, { openAtLogin: false, loginItemSupported: true })
        .tooltip,
    ).toContain('reconnecting');
  });

  it('has a context menu with show, pause all and quit (clicks on Linux tray icons may never arrive)', () => {
    const view = trayView(at(3), { openAtLogin: true, loginItemSupported: true });
    const items = view.menu.filter((i) => i.type !== 'separator');
    expect(items.map((i) => i.id)).toEqual(['status', 'show', 'pause', 'login', 'quit']);
    expect(items.find((i) => i.id === 'status')).toMatchObject({
      enabled: false,
      label: '3 requests wait for you',
    });
    expect(items.find((i) => i.id === 'pause')).toMatchObject({
      enabled: true,
      label: 'Pause all agents',
    });
    expect(items.find((i) => i.id === 'login')).toMatchObject({ type: 'checkbox', checked: true });
    expect(view.title).toBe('3');
    expect(view.badge).toBe(3);
  });

  it('offers no pause once paused or while the wallet is unreachable, and hides an unsupported login item', () => {
    const paused = trayView(at(0, true), { openAtLogin: false, loginItemSupported: false });
    expect(paused.menu.find((i) => i.type !== 'separator' && i.id === 'pause')).toMatchObject({
      enabled: false,
    });
    expect(paused.menu.some((i) => i.type !== 'separator' && i.id === 'login')).toBe(false);
    const offline = trayView(initialTrayState, { openAtLogin: false, loginItemSupported: true });
    expect(offline.menu.find((i) => i.type !== 'separator' && i.id === 'pause')).toMatchObject({
      enabled: false,
    });
    expect(offline.title).toBe('');
    expect(offline.badge).toBe(0);
  });

  it('uses app.setBadgeCount where the OS has one, an overlay icon on Windows', () => {
    expect(badgeKind('darwin')).toBe('badge-count');
    expect(badgeKind('linux')).toBe('badge-count');
    expect(badgeKind('win32')).toBe('overlay-icon');
    expect(badgeKind('freebsd')).toBe('none');
  });
});

describe('the event stream as the tray reads it', () => {
  it('keeps the fields it needs from a spend event', () => {
    const event = parseOwnerEvent(
      'spend',
      JSON.stringify({ ...spend('req_a'), amount_cents: 1250, impact: null, extra: 'ignored' }),
    );
    expect(event).toEqual({ type: 'spend', spend: spend('req_a') });
  });

  it('reads budget requests, alerts and settings', () => {
    expect(parseOwnerEvent('budget_request', JSON.stringify(budget('breq_a')))).toEqual({
      type: 'budget_request',
      request: budget('breq_a'),
    });
    const settings = { frozen: true, time_zone: 'UTC', notifications: false, start_at_login: true };
    expect(parseOwnerEvent('settings', JSON.stringify(settings))).toEqual({
      type: 'settings',
      frozen: true,
      notifications: false,
      startAtLogin: true,
    });
    // Settings without the desktop's fields are not trusted to mean "off".
    expect(parseOwnerEvent('settings', JSON.stringify({ frozen: true }))).toBeUndefined();
    expect(
      parseOwnerEvent(
        'alert',
        JSON.stringify({
          kind: 'over_budget',
          agent_id: 'a',
          agent_name: 'b',
          object_id: 'c',
          message: 'd',
        }),
      ),
    ).toMatchObject({ type: 'alert' });
  });

  it('skips events it does not follow and anything malformed', () => {
    expect(parseOwnerEvent('receipt', '{}')).toBeUndefined();
    expect(parseOwnerEvent('chain', '{}')).toBeUndefined();
    expect(parseOwnerEvent(undefined, '{}')).toBeUndefined();
    expect(parseOwnerEvent('spend', 'not json')).toBeUndefined();
    expect(parseOwnerEvent('spend', JSON.stringify({ id: 'req_a' }))).toBeUndefined();
    expect(
      parseOwnerEvent('spend', JSON.stringify({ ...spend('req_a'), status: 'bogus' })),
    ).toBeUndefined();
  });
});
