import { EventEmitter } from 'node:events';
import type { AgentChange, AlertKind, ChainEventKind } from '../../shared/domain';
import type { BudgetRequestRecord } from './budgets/budget-repository';
import type { ReceiptRecord } from './receipts/receipt-repository';
import type { SpendRecord } from './spend/spend-repository';
import type { Settings } from './settings/settings-repository';

/** Something the owner should hear about at once (a desktop notification). */
export interface Alert {
  kind: AlertKind;
  agentId: string;
  message: string;
  objectId: string;
}

/** Something that happened on chain: a payment settled or released, an allowance set or revoked. */
export interface ChainEvent {
  kind: ChainEventKind;
  agentId: string | null;
  objectId?: string;
  txHash?: string;
  message: string;
}

/** What changed about an agent (the owner's stream says so; the window reads it again). */
export type { AgentChange };

/** What the wallet announces after a commit: waiters, the owner's event stream, the tray. */
export interface WalletEventMap {
  /** A spend request was created or changed state. */
  spend: [SpendRecord];
  /** A budget request was created or changed state (or what is left of it changed). */
  budget_request: [BudgetRequestRecord];
  /** A payment made elsewhere was reported. */
  receipt: [ReceiptRecord];
  alert: [Alert];
  /** The workspace settings changed (the global freeze among them). */
  settings: [Settings];
  chain: [ChainEvent];
  /** An agent was created or changed: its policy, its status or its keys. */
  agent: [{ agentId: string; change: AgentChange }];
}

/**
 * What the shells get of the bus: they listen, they never announce. Only the core emits,
 * after the commit that made the change: a shell that could emit `settings` with
 * `frozen: true` would set off the chain's panic revokes with nothing on the database.
 */
export type WalletEventFeed = Pick<WalletEvents, 'on' | 'off' | 'once'>;

export class WalletEvents extends EventEmitter<WalletEventMap> {
  constructor() {
    super();
    // Every waiting `GET ?wait=` and every open owner stream listens; there is no leak to warn about.
    this.setMaxListeners(0);
  }
}
