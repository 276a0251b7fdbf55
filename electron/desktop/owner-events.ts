/**
 * The owner's event stream (`GET /admin/v1/events`) and approvals list as the main process
 * reads them over HTTP: only the fields the tray and the notifications use, checked
 * against the owner API's own schemas (shared/schemas/owner-api.ts). The main process
 * follows the same stream the window does, so the two never disagree.
 */
import { z } from 'zod';
import { alertEventView as alertEvent } from '../../shared/contract/owner';
import {
  ownerBudgetRequestView,
  ownerSpendView,
  settingsView,
} from '../../shared/schemas/owner-api';

export const pendingSpend = ownerSpendView.pick({
  id: true,
  status: true,
  agent_name: true,
  amount_micros: true,
  merchant_name: true,
  reason: true,
});
export type PendingSpend = z.infer<typeof pendingSpend>;

export const pendingBudget = ownerBudgetRequestView.pick({
  id: true,
  status: true,
  agent_name: true,
  requested_amount_cents: true,
  purpose: true,
});
export type PendingBudget = z.infer<typeof pendingBudget>;

/** An alert, as the owner contract's event stream says it (shared/contract/events.ts). */
export type AlertEvent = z.infer<typeof alertEvent>;

/** What the shell needs of the settings: the freeze, notifications, start at login. */
const deskSettings = settingsView.pick({ frozen: true, notifications: true, start_at_login: true });
/** The desktop's view of the workspace settings. */
export interface DeskSettings {
  frozen: boolean;
  notifications: boolean;
  startAtLogin: boolean;
}
const deskSettingsOf = (s: {
  frozen: boolean;
  notifications: boolean;
  start_at_login: boolean;
}): DeskSettings => ({
  frozen: s.frozen,
  notifications: s.notifications,
  startAtLogin: s.start_at_login,
});

export type OwnerEvent =
  | { type: 'spend'; spend: PendingSpend }
  | { type: 'budget_request'; request: PendingBudget }
  | { type: 'alert'; alert: AlertEvent }
  | ({ type: 'settings' } & DeskSettings);

function json(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/**
 * One server-sent event as the tray needs it, or undefined for events it does not follow
 * (receipts, chain news) and for anything malformed, which is skipped rather than trusted.
 */
export function parseOwnerEvent(name: string | undefined, data: string): OwnerEvent | undefined {
  const body = json(data);
  switch (name) {
    case 'spend': {
      const parsed = pendingSpend.safeParse(body);
      return parsed.success ? { type: 'spend', spend: parsed.data } : undefined;
    }
    case 'budget_request': {
      const parsed = pendingBudget.safeParse(body);
      return parsed.success ? { type: 'budget_request', request: parsed.data } : undefined;
    }
    case 'alert': {
      const parsed = alertEvent.safeParse(body);
      return parsed.success ? { type: 'alert', alert: parsed.data } : undefined;
    }
    case 'settings': {
      const parsed = deskSettings.safeParse(body);
      return parsed.success ? { type: 'settings', ...deskSettingsOf(parsed.data) } : undefined;
    }
    default:
      return undefined;
  }
}

/** `GET /admin/v1/approvals` and `GET /admin/v1/settings`: what waits, and whether agents are paused. */
export const approvalsSnapshot = z.object({
  spend_requests: z.array(pendingSpend),
  budget_requests: z.array(pendingBudget),
});
export type ApprovalsSnapshot = z.infer<typeof approvalsSnapshot>;
/** `GET /admin/v1/settings`, as the shell reads it. */
export const parseDeskSettings = (value: unknown): DeskSettings =>
  deskSettingsOf(deskSettings.parse(value));
