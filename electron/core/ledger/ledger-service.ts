import type { Clock } from '../clock';
import type { Db } from '../db/types';
import type { Reads } from '../db/reads';
import type { Ledger, LedgerRow, VerifyResult } from './ledger';
import { LedgerQuery, type LedgerFilter } from './ledger-query';

/** Where the one chain verification of this server stands, and how the last one ended. */
export interface VerifyStatus {
  /** How many runs have started since the server did. */
  run: number;
  running: boolean;
  checked: number;
  total: number;
  startedAt: number | null;
  finishedAt: number | null;
  result: VerifyResult | null;
  error: string | null;
}

/**
 * The ledger for the owner: filtered pages, exports of any size, and chain verification
 * (docs/ledger-format.md). Writing to the ledger is not here: only the services that make
 * a decision append to it, inside the decision's transaction.
 */
export class LedgerService {
  private readonly query: LedgerQuery;
  private readonly state: VerifyStatus = {
    run: 0,
    running: false,
    checked: 0,
    total: 0,
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
  };
  private running: Promise<VerifyResult> | null = null;

  constructor(private readonly d: { db: Db; ledger: Ledger; clock: Clock; reads: Reads }) {
    this.query = new LedgerQuery(d.db);
  }

  /** Newest first, at most `limit`, in one snapshot. */
  page(filter: LedgerFilter, limit: number): LedgerRow[] {
    return this.d.reads.run(() => this.query.page(filter, limit));
  }

  /** Every matching entry, oldest first, read a page at a time (ledger-query.ts). */
  all(filter: LedgerFilter): IterableIterator<LedgerRow> {
    return this.query.all(filter);
  }

  verifyStatus(): VerifyStatus {
    return { ...this.state };
  }

  /**
   * One chain verification at a time per server: a second request while one runs joins it
   * (the walk reads to the end of the chain as it is when the walk gets there, so the
   * joined answer covers the later request too). Its progress and the last result stay
   * for `verifyStatus()`.
   */
  verify(): Promise<VerifyResult> {
    if (this.running) return this.running;
    const { state } = this;
    const { ledger, clock } = this.d;
    Object.assign(state, {
      run: state.run + 1,
      running: true,
      checked: 0,
      total: ledger.headSeq(),
      startedAt: clock.now(),
      finishedAt: null,
    });
    const done = ledger
      .verifyInBackground(({ checked, total }) => Object.assign(state, { checked, total }))
      .then(
        (result) => {
          Object.assign(state, { result, error: null });
          return result;
        },
        (error: unknown) => {
          Object.assign(state, { result: null, error: String(error) });
          throw error;
        },
      )
      .finally(() => {
        Object.assign(state, { running: false, finishedAt: clock.now() });
        this.running = null;
      });
    this.running = done;
    return done;
  }
}
