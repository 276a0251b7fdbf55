import { AgentRepository } from './agents/agent-repository';
import { ApprovalService } from './approvals/approval-service';
import { BudgetRepository } from './budgets/budget-repository';
import { BudgetAlertRepository } from './budgets/budget-alerts';
import { BudgetService } from './budgets/budget-service';
import { ReceiptRepository } from './receipts/receipt-repository';
import { ReceiptService } from './receipts/receipt-service';
import { ReceiptReviewService } from './receipts/receipt-review';
import { AgentService } from './agents/agent-service';
import { KnownMerchantRepository } from './agents/known-merchant-repository';
import { PolicyCache } from './agents/policy-cache';
import { Waiters } from './approvals/waiters';
import { systemClock, type Clock } from './clock';
import { runUpkeep, SerialCommitter, type Committer, type TxContext } from './db/committer';
import { openDatabase } from './db/database';
import type { Db } from './db/types';
import { GroupCommitter, type GroupCommitOptions } from './db/group-committer';
import { WalFsync, type FsyncFn } from './db/durability';
import { WalletEvents, type WalletEventFeed } from './events';
import { FundingRepository } from './funding/funding-repository';
import { FundingService } from './funding/funding-service';
import { KeyRepository } from './keys/key-repository';
import { KeyService } from './keys/key-service';
import { RateLimiter } from './keys/rate-limiter';
import { Ledger } from './ledger/ledger';
import { Meters } from './ledger/meters';
import { SettingsRepository, systemTimeZone } from './settings/settings-repository';
import { SettingsService } from './settings/settings-service';
import { IdempotencyRepository, IDEMPOTENCY_RETENTION_MS } from './spend/idempotency-repository';
import { LimitReader } from './spend/limits';
import { SpendRepository } from './spend/spend-repository';
import { SpendService } from './spend/spend-service';
import type { WalletDeps } from './wallet-deps';
import { ChainService } from './chain/chain-service';
import { AccountRepository } from './chain/account-repository';
import { AllowanceRepository } from './chain/allowance-repository';
import { ChainRepository } from './chain/chain-repository';
import { TransferRepository } from './chain/transfer-repository';
import { PayoutRepository } from './rails/payouts/payout-repository';
import { RecipientRepository } from './rails/payouts/recipient-repository';
import { X402PaymentRepository } from './rails/x402/x402-payment-repository';
import { Reads } from './db/reads';
import { LedgerService } from './ledger/ledger-service';
import { OverviewService } from './overview/overview-service';
import { SpendingService } from './spending/spending-service';

const PURGE_EVERY_MS = 10 * 60_000;

export interface WalletOptions {
  /** The data folder; the database lives in it. */
  home: string;
  clock?: Clock;
  /** better-sqlite3 build for Electron's ABI, when running inside Electron. */
  nativeBinding?: string;
  /**
   * The write path: group commit (the default) or one transaction per job (kept for the
   * benchmark's comparison and for debugging).
   */
  commit?: 'group' | 'serial';
  groupCommit?: GroupCommitOptions;
  /** fsync of the WAL; tests replace it to hold or fail the disk. */
  fsync?: FsyncFn;
}

/**
 * The wallet: database, repositories and services, wired once. Everything that runs Purser
 * (the desktop app, `purser serve`, tests) opens one of these with `Wallet.open()` and
 * reaches the core through its services only: the repositories stay inside
 * (docs/architecture.md). Tests that check invariants against the tables read them
 * through `walletInternals()` (wallet-internals.ts), which the shells may not import.
 */
export class Wallet {
  private readonly deps: WalletDeps;
  /** What changed, announced after the commit that made it (the owner's event stream). */
  readonly events: WalletEventFeed;
  readonly agents: AgentService;
  readonly keys: KeyService;
  readonly funding: FundingService;
  readonly settings: SettingsService;
  readonly spend: SpendService;
  readonly budgets: BudgetService;
  readonly approvals: ApprovalService;
  readonly receipts: ReceiptService;
  /** The owner's answers to what receipts claim (held parts, settlements for less). */
  readonly receiptReviews: ReceiptReviewService;
  /** On-chain enforcement: accounts, x402 signing, allowances, reconciliation. */
  readonly chain: ChainService;
  /** The ledger's pages, exports and chain verification. */
  readonly ledger: LedgerService;
  /** The window's first page: spend, what waits, limits, activity, in one cheap read. */
  readonly overview: OverviewService;
  /** The Spending view: the ledger's sums over a range, by agent, merchant, category or rail. */
  readonly spending: SpendingService;
  private sweeper: NodeJS.Timeout | undefined;
  private lastPurge = 0;
  private readonly durability: WalFsync;

  /**
   * Opens the data folder's database (migrating it), wires the wallet, and on a first run
   * pins the time zone and creates the default cash sources. All of the wallet's start-up
   * I/O is here, none in the constructor.
   */
  static open(options: WalletOptions): Wallet {
    const db = openDatabase(options.home, { nativeBinding: options.nativeBinding });
    let durability: WalFsync | undefined;
    try {
      // Commits reach the disk through an fsync of the WAL on the thread pool, so the event
      // loop never waits for the disk; answers still wait for it (durability.ts).
      durability = new WalFsync(db, options.fsync);
      const wallet = new Wallet(db, durability, options);
      wallet.bootstrap();
      return wallet;
    } catch (error) {
      durability?.close();
      db.close();
      throw error;
    }
  }

  private constructor(db: Db, durability: WalFsync, options: WalletOptions) {
    const clock = options.clock ?? systemClock;
    const agents = new AgentRepository(db);
    const settings = new SettingsRepository(db);
    const meters = new Meters(db);
    const policies = new PolicyCache(agents);
    // Upkeep at the start of every write transaction: no decision may see a request that
    // should already have expired.
    const hooks = {
      onBegin: (tx: TxContext) => {
        const now = clock.now();
        this.spend.expireDue(tx, now);
        this.budgets.expireDue(tx, now);
      },
      beforeCommit: () => this.deps.ledger.persistHead(),
      // Caches re-read the database after any rollback: nothing rolled back may linger.
      onRollback: () => {
        settings.reload();
        policies.clear();
        agents.clearCache();
        this.deps.funding.clearCache();
        this.deps.ledger.forgetHead();
        this.deps.merchants.clearCache();
        this.deps.keys.clearCache();
        this.deps.budgets.clearCache();
        meters.forgetScopes();
      },
    };
    this.durability = durability;
    const committer: Committer =
      options.commit === 'serial'
        ? new SerialCommitter(db, hooks, durability)
        : new GroupCommitter(db, hooks, { ...options.groupCommit, durability });
    this.deps = {
      db,
      clock,
      committer,
      agents,
      policies,
      keys: new KeyRepository(db),
      funding: new FundingRepository(db),
      settings,
      meters,
      limits: new LimitReader(meters, settings),
      ledger: new Ledger(db),
      idempotency: new IdempotencyRepository(db),
      spends: new SpendRepository(db),
      budgets: new BudgetRepository(db),
      budgetAlerts: new BudgetAlertRepository(db),
      receipts: new ReceiptRepository(db),
      x402Payments: new X402PaymentRepository(db),
      payouts: new PayoutRepository(db),
      recipients: new RecipientRepository(db),
      chains: new ChainRepository(db),
      chainAccounts: new AccountRepository(db),
      chainTransfers: new TransferRepository(db),
      allowances: new AllowanceRepository(db),
      merchants: new KnownMerchantRepository(db),
      rateLimiter: new RateLimiter(),
      events: new WalletEvents(),
      waiters: new Waiters(),
      reads: new Reads(db),
    };
    this.events = this.deps.events;
    this.ledger = new LedgerService(this.deps);
    this.budgets = new BudgetService(this.deps);
    this.agents = new AgentService(this.deps, this.budgets);
    this.keys = new KeyService(this.deps);
    this.funding = new FundingService(this.deps);
    this.settings = new SettingsService(this.deps);
    this.spend = new SpendService(this.deps, this.budgets);
    this.approvals = new ApprovalService(this.deps, this.budgets);
    this.receipts = new ReceiptService(this.deps, this.budgets);
    this.receiptReviews = new ReceiptReviewService(this.deps, this.budgets);
    this.chain = new ChainService(this.deps, this.spend, this.budgets);
    this.overview = new OverviewService(this.deps, this.agents, this.ledger);
    this.spending = new SpendingService(this.deps);
    this.deps.events.on('spend', (record) => this.deps.waiters.notify(record.id));
    this.deps.events.on('budget_request', (record) => this.deps.waiters.notify(record.id));
  }

  /** First run: pin the time zone and create the default cash sources. */
  private bootstrap(): void {
    const { committer, settings } = this.deps;
    committer.runNow((tx) => {
      if (!settings.hasTimeZone()) {
        settings.update({ timeZone: systemTimeZone() });
      }
      this.funding.ensureDefaults(tx);
    });
  }

  /** Runs synchronous reads inside one read transaction: one snapshot (db/reads.ts). */
  read<T>(fn: () => T): T {
    return this.deps.reads.run(fn);
  }

  /** Expires due requests and forgets old idempotency keys every `intervalMs`. */
  startSweeper(intervalMs = 1000): void {
    this.stopSweeper();
    this.sweeper = setInterval(() => void this.sweep(), intervalMs);
    this.sweeper.unref();
  }

  stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  async sweep(): Promise<void> {
    const { clock, spends, committer, idempotency, rateLimiter } = this.deps;
    const now = clock.now();
    rateLimiter.prune(now);
    // Only open a write transaction when there is something to write.
    if (spends.anyDue(now) || this.deps.budgets.anyDue(now)) await runUpkeep(committer);
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now;
      await committer.run(() => idempotency.purgeOlderThan(now - IDEMPOTENCY_RETENTION_MS));
    }
  }

  async close(): Promise<void> {
    this.stopSweeper();
    await this.chain.stopWatching();
    await this.deps.committer.close();
    this.durability.close();
    this.deps.db.close();
  }
}
