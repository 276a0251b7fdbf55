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
  'budget_request.created',
  'budget_request.approved',
  'budget_request.rejected',
  'budget_request.expired',
  'budget_request.exhausted',
  'receipt.recorded',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/** Who caused an entry: an agent through one of its keys, the owner, or Purser itself. */
export type Actor = `key:${string}` | 'owner' | 'system';
