import type { AgentRepository } from './agents/agent-repository';
import type { BudgetRepository } from './budgets/budget-repository';
import type { ReceiptRepository } from './receipts/receipt-repository';
import type { KnownMerchantRepository } from './agents/known-merchant-repository';
import type { PolicyCache } from './agents/policy-cache';
import type { Waiters } from './approvals/waiters';
import type { Clock } from './clock';
import type { Committer } from './db/committer';
import type { Db } from './db/types';
import type { Reads } from './db/reads';
import type { WalletEvents } from './events';
import type { FundingRepository } from './funding/funding-repository';
import type { KeyRepository } from './keys/key-repository';
import type { RateLimiter } from './keys/rate-limiter';
import type { Ledger } from './ledger/ledger';
import type { Meters } from './ledger/meters';
import type { SettingsRepository } from './settings/settings-repository';
import type { IdempotencyRepository } from './spend/idempotency-repository';
import type { LimitReader } from './spend/limits';
import type { SpendRepository } from './spend/spend-repository';
import type { X402Store } from './chain/x402-payments';

/** Everything a service may use; built once in wallet.ts. */
export interface WalletDeps {
  db: Db;
  clock: Clock;
  committer: Committer;
  agents: AgentRepository;
  policies: PolicyCache;
  keys: KeyRepository;
  funding: FundingRepository;
  settings: SettingsRepository;
  meters: Meters;
  limits: LimitReader;
  ledger: Ledger;
  idempotency: IdempotencyRepository;
  spends: SpendRepository;
  budgets: BudgetRepository;
  receipts: ReceiptRepository;
  /** x402 payments Purser signs: a request paid this way is settled by the chain only. */
  x402Payments: X402Store;
  merchants: KnownMerchantRepository;
  rateLimiter: RateLimiter;
  events: WalletEvents;
  waiters: Waiters;
  reads: Reads;
}
