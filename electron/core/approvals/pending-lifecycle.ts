import type { Actor } from '../../../shared/ledger';
import type { TxContext } from '../db/committer';
import type { SpendRecord } from '../spend/spend-repository';
import type { WalletDeps } from '../wallet-deps';

/** How a pending spend request can end without being approved. */
export interface Closing {
  status: 'declined' | 'expired' | 'cancelled';
  reason: string;
  rule: string;
  actor: Actor;
  comment?: string | null;
  /** The ledger entry's data. */
  data?: Record<string, unknown>;
}

/**
 * Ends a pending spend request without counting anything: the row moves once (a guarded
 * UPDATE), the ledger says who ended it and why, and the owner's stream and any waiting
 * agent hear of it after the commit. Declines, cancellations, expiries and the revocation of
 * an agent all end a request here, in the caller's write job. Undefined when the request
 * was no longer pending (another job ended it first).
 */
export function closePending(
  d: Pick<WalletDeps, 'agents' | 'events' | 'ledger' | 'spends'>,
  tx: TxContext,
  record: SpendRecord,
  closing: Closing,
  now: number,
): SpendRecord | undefined {
  const change = {
    status: closing.status,
    decisionReason: closing.reason,
    decisionRule: closing.rule,
    decidedAt: now,
    usageId: null,
    ownerComment: closing.comment ?? null,
  };
  if (!d.spends.resolve(record.id, change)) return undefined;
  d.ledger.append(
    {
      type: `spend.${closing.status}`,
      actor: closing.actor,
      mode: d.agents.get(record.agentId)?.mode ?? null,
      agentId: record.agentId,
      objectId: record.id,
      amount: record.amount,
      status: closing.status,
      merchant: record.merchantName,
      ...(closing.data === undefined ? {} : { data: closing.data }),
    },
    now,
  );
  const updated = { ...record, ...change };
  tx.afterCommit(() => d.events.emit('spend', updated));
  return updated;
}
