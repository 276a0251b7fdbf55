import type { AgentRepository } from './agents/agent-repository';
import type { BudgetRepository } from './budgets/budget-repository';
import type { BudgetAlertRepository } from './budgets/budget-alerts';
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
import type { AccountRepository } from './chain/account-repository';
import type { AllowanceRepository } from './chain/allowance-repository';
import type { ChainRepository } from './chain/chain-repository';
import type { TransferRepository } from './chain/transfer-repository';
import type { X402PaymentRepository } from './rails/x402/x402-payment-repository';
import type { PayoutRepository } from './rails/payouts/payout-repository';
import type { RecipientRepository } from './rails/payouts/recipient-repository';

/** Everything a service may use; built once in wallet.ts. */
/**
 * What every service that writes uses: the agents, the clock, the committer, the events it
 * announces after its commit, and the ledger that records it. A service's deps name these
 * and then what is its own.
 */
export type WriterDeps = 'agents' | 'clock' | 'committer' | 'events' | 'ledger';

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
  /** The warning levels each agent's budget reached, one row per level per window (docs/alerts.md). */
  budgetAlerts: BudgetAlertRepository;
  receipts: ReceiptRepository;
  /** x402 payments Purser signs: a request paid this way is settled by the chain only. */
  x402Payments: X402PaymentRepository;
  /** Payouts Purser sends from agents' wallets, and the owner's address book (docs/payouts.md). */
  payouts: PayoutRepository;
  recipients: RecipientRepository;
  /** On chain (docs/chain.md): the chains, the owner's and agents' accounts, transfers seen. */
  chains: ChainRepository;
  chainAccounts: AccountRepository;
  chainTransfers: TransferRepository;
  allowances: AllowanceRepository;
  merchants: KnownMerchantRepository;
  rateLimiter: RateLimiter;
  events: WalletEvents;
  waiters: Waiters;
  reads: Reads;
}
