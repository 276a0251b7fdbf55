import type { z } from 'zod';
import type { verifyStatusView, verifyView } from './schemas/owner-api';

/** Every kind of ledger entry. The renderer's filters and the exporter use this list. */
export const LEDGER_TYPES = [
  'agent.created',
  'agent.status_changed',
  'policy.updated',
  'key.issued',
  'key.revoked',
  'funding.created',
  'funding.deposit',
  'funding.updated',
  'settings.updated',
  'wallet.frozen',
  'wallet.unfrozen',
  'spend.approved',
  'spend.declined',
  'spend.needs_approval',
  'spend.refused',
  'spend.expired',
  'spend.cancelled',
  'spend.settled',
  'budget_request.created',
  'budget_request.approved',
  'budget_request.rejected',
  'budget_request.expired',
  'budget_request.exhausted',
  'budget.alert',
  'receipt.recorded',
  'receipt.accepted',
  'receipt.disputed',
  'chain.configured',
  'chain.account_added',
  'chain.funded',
  'chain.transfer',
  'chain.transfer_unmatched',
  'x402.signed',
  'x402.settled',
  'x402.released',
  'mpp.signed',
  'mpp.settled',
  'mpp.released',
  'recipient.added',
  'recipient.updated',
  'recipient.archived',
  'payout.authorized',
  'payout.submitted',
  'payout.completed',
  'payout.failed',
  'payout.cancelled',
  'allowance.set',
  'allowance.revoked',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/** Who caused an entry: an agent through one of its keys, the owner, or Purser itself. */
export type Actor = `key:${string}` | 'owner' | 'system';

/**
 * The filters of the owner's ledger pages and of the export, as query parameters (`from`
 * and `to` are ISO 8601 times; `to` is exclusive). The window sends them as they are.
 */
export const LEDGER_FILTER_KEYS = [
  'agent_id',
  'type',
  'status',
  'merchant',
  'rail',
  'from',
  'to',
] as const;
export type LedgerFilterKey = (typeof LEDGER_FILTER_KEYS)[number];
export type LedgerFilterParams = Partial<Record<LedgerFilterKey, string>>;

/** What a chain verification found (`POST /admin/v1/ledger/verify`, docs/ledger-format.md). */
export type LedgerVerifyView = z.infer<typeof verifyView>;

/** `GET /admin/v1/ledger/verify`: the verification under way, or the last one. */
export type LedgerVerifyStatusView = z.infer<typeof verifyStatusView>;
