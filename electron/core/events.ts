import { EventEmitter } from 'node:events';
import type { SpendRecord } from './spend/spend-repository';

/** What the wallet announces after a commit: waiters, the owner's event stream, the tray. */
export interface WalletEventMap {
  /** A spend request was created or changed state. */
  spend: [SpendRecord];
}

export class WalletEvents extends EventEmitter<WalletEventMap> {
  constructor() {
    super();
    // Every waiting `GET ?wait=` and every open owner stream listens; there is no leak to warn about.
    this.setMaxListeners(0);
  }
}
