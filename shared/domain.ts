/**
 * The vocabulary both sides share. Where code branches on a status it goes through a
 * `Record<Status, …>` (FINAL_SPEND_STATUSES, the window's labels), so that adding a
 * status breaks the build until every such place handles it.
 */
export const MODES = ['live', 'test'] as const;
export type Mode = (typeof MODES)[number];

export const AGENT_STATUSES = ['active', 'paused', 'revoked'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const PERIODS = ['daily', 'weekly', 'monthly', 'total'] as const;
export type Period = (typeof PERIODS)[number];

export const WINDOW_KINDS = ['calendar', 'rolling'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

export const OVER_BUDGET_BEHAVIOURS = ['decline', 'ask'] as const;
export type OverBudgetBehaviour = (typeof OVER_BUDGET_BEHAVIOURS)[number];

export const SCOPES = ['spend.read', 'spend.write'] as const;
export type Scope = (typeof SCOPES)[number];

export const SPEND_STATUSES = [
  'approved',
  'declined',
  'needs_approval',
  'expired',
  'cancelled',
] as const;
export type SpendStatus = (typeof SPEND_STATUSES)[number];

/** Statuses a spend request can never leave. */
export const FINAL_SPEND_STATUSES: Record<SpendStatus, boolean> = {
  approved: true,
  declined: true,
  needs_approval: false,
  expired: true,
  cancelled: true,
};

export const BUDGET_REQUEST_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'exhausted',
] as const;
export type BudgetRequestStatus = (typeof BUDGET_REQUEST_STATUSES)[number];

export const FUNDING_KINDS = ['cash', 'onchain'] as const;
export type FundingKind = (typeof FUNDING_KINDS)[number];

export const RAILS = ['x402', 'mpp', 'card', 'onchain', 'other'] as const;
export type Rail = (typeof RAILS)[number];

export const ID_PREFIXES = {
  agent: 'agt',
  key: 'key',
  spendRequest: 'req',
  budgetRequest: 'breq',
  receipt: 'rcpt',
  fundingSource: 'fs',
  x402Payment: 'x402',
  chainAccount: 'acct',
  recipient: 'rcp',
  payoutIntent: 'po',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

/** Where an x402 payment stands (docs/chain.md): reserved before signing, settled on chain or released. */
export const X402_STATUSES = [
  'awaiting_approval',
  'reserved',
  'signed',
  'settled',
  'released',
  'declined',
] as const;
export type X402Status = (typeof X402_STATUSES)[number];

/**
 * Where a payout intent stands (Dino's payout statuses; docs/payouts.md): `approved` is
 * reserved and about to be signed, `awaiting_signature` waits for Purser's keys to be
 * unlocked, `submitted` has its signed transaction stored (and sent), `completed` is on
 * chain, `failed` can no longer land and gave its reservation back.
 */
export const PAYOUT_STATUSES = [
  'needs_approval',
  'approved',
  'awaiting_signature',
  'submitted',
  'completed',
  'failed',
  'declined',
  'cancelled',
  'expired',
] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** What the owner's event stream says happened on chain (`chain` events). */
export const CHAIN_EVENT_KINDS = [
  'payment_settled',
  'payment_released',
  'payout_submitted',
  'payout_completed',
  'payout_failed',
  'allowance_set',
  'allowance_revoked',
  'allowance_revoke_failed',
  'wallet_created',
  'wallet_funded',
  'sync_failed',
] as const;
export type ChainEventKind = (typeof CHAIN_EVENT_KINDS)[number];

/** What the owner's event stream raises an alert for (`alert` events; the tray notifies). */
export const ALERT_KINDS = [
  'over_budget',
  'agent_paused',
  'receipt_flagged',
  'receipt_held',
  'unmatched_transfer',
  /** An agent's counted spend reached one of its budget's warning levels (docs/alerts.md). */
  'budget_level',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What changed about an agent (`agent` events): the window reads that agent again. */
export const AGENT_CHANGES = ['created', 'policy', 'status', 'keys'] as const;
export type AgentChange = (typeof AGENT_CHANGES)[number];

/** Chains Purser knows how to talk to; each needs its RPC URL and USDC from the chain config. */
export const CHAIN_IDS = ['local', 'base-sepolia', 'base'] as const;
export type ChainName = (typeof CHAIN_IDS)[number];
