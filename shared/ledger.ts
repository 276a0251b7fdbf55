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
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/** Who caused an entry: an agent through one of its keys, the owner, or Purser itself. */
export type Actor = `key:${string}` | 'owner' | 'system';
