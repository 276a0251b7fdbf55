/**
 * The owner's event stream (`GET /admin/v1/events`): each event's name and the shape of its
 * data. Events are sent after the commit that made them (electron/api/routes/owner/events.ts).
 */
import { z } from 'zod';
import { AGENT_CHANGES, ALERT_KINDS } from '../domain';
import { chainEventView } from '../schemas/chain';
import { ownerBudgetRequestView, ownerSpendView, settingsView } from '../schemas/owner-api';
import { receiptEventView } from '../schemas/receipts';

/** Something the owner should hear about at once (the tray notifies). */
export const alertEventView = z.object({
  kind: z.enum(ALERT_KINDS),
  agent_id: z.string(),
  agent_name: z.string(),
  object_id: z.string(),
  message: z.string(),
});

/** An agent was created or changed: windows read it again. */
export const agentEventView = z.object({ agent_id: z.string(), change: z.enum(AGENT_CHANGES) });

export const ownerEvents = {
  /** A spend request was created or decided (new pending ones pop up at once). */
  spend: ownerSpendView,
  /** A budget request was created or changed (or what is left of it). */
  budget_request: ownerBudgetRequestView,
  /** A payment made elsewhere was reported. */
  receipt: receiptEventView,
  alert: alertEventView,
  /** The workspace settings changed (the freeze among them). */
  settings: settingsView,
  /** Settlements, releases, allowances, wallets (docs/chain.md). */
  chain: chainEventView,
  agent: agentEventView,
} as const;

export type OwnerEventName = keyof typeof ownerEvents;

/** One event of the stream: its name, and its data as that name's schema says. */
export type OwnerEvent = {
  [K in OwnerEventName]: { event: K; data: z.output<(typeof ownerEvents)[K]> };
}[OwnerEventName];

/** Whether an event name from the stream is one of ours (others are skipped). */
export const isOwnerEventName = (name: string | undefined): name is OwnerEventName =>
  name !== undefined && Object.hasOwn(ownerEvents, name);
