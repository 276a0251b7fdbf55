import type { Agent } from '../agents/agent-repository';
import type { KeyAuth } from '../keys/key-repository';
import type { Refusal } from '../policy/decide';
import type { SpendRecord } from '../spend/spend-repository';
import type { WalletDeps } from '../wallet-deps';
import type { X402Payment, X402PaymentRepository } from './x402/x402-payment-repository';

/*
 * What the 402 rails (x402, MPP) share: their outcome, where a payment starts, a retry's
 * answer, a refused 402, and one signing per payment. Both store their payments in
 * x402_payments (docs/mpp.md), so one set of rules serves both.
 */

export type PayOutcome =
  | {
      kind: 'declined';
      refusal:
        | Refusal
        | {
            code: 'policy_declined';
            reason: string;
            rule: string;
            details: Record<string, unknown>;
          };
    }
  | { kind: 'payment'; payment: X402Payment; spend: SpendRecord; replayed: boolean };

/** Where a new payment starts, by the decision on its spend request. */
export const PAYMENT_STATUS_OF: Record<SpendRecord['status'], X402Payment['status']> = {
  approved: 'reserved',
  needs_approval: 'awaiting_approval',
  declined: 'declined',
  expired: 'declined',
  cancelled: 'declined',
};

/** A retry: the same payment, moved on if the owner has decided since. */
export function replayPayment(
  d: Pick<WalletDeps, 'spends'>,
  c: { payments: X402PaymentRepository },
  id: string,
  now: number,
): PayOutcome {
  let payment = c.payments.get(id);
  if (!payment) throw new Error(`idempotency key points at missing ${id}`);
  const spend = d.spends.get(payment.spendRequestId);
  if (!spend) throw new Error(`payment ${id} has no spend request`);
  if (payment.status === 'awaiting_approval' && spend.status !== 'needs_approval') {
    const to = spend.status === 'approved' ? 'reserved' : 'declined';
    c.payments.move(id, 'awaiting_approval', to, now);
    payment = c.payments.get(id) as X402Payment;
  }
  return { kind: 'payment', payment, spend, replayed: true };
}

/**
 * A 402 answer none of whose offers Purser can pay (x402 requirements, MPP challenges):
 * refused before any policy runs, and ledgered as the attempt it was.
 */
export function declinedPayment(
  d: Pick<WalletDeps, 'ledger'>,
  auth: KeyAuth,
  agent: Agent,
  merchant: string,
  url: URL,
  agentReason: string | undefined,
  why: {
    reason: string;
    rule: string;
    refused: { index: number; reason: string }[];
    rail: 'x402' | 'mpp';
    now: number;
  },
): PayOutcome {
  const refusal = {
    code: 'policy_declined' as const,
    reason: why.reason,
    rule: why.rule,
    details: { refused: why.refused },
  };
  d.ledger.append(
    {
      type: 'spend.refused',
      actor: `key:${auth.keyId}`,
      mode: agent.mode,
      agentId: agent.id,
      status: 'policy_declined',
      merchant,
      rail: why.rail,
      data: {
        reason: agentReason ?? null,
        decision_reason: why.reason,
        rule: why.rule,
        resource_url: url.href,
        refused: why.refused,
      },
    },
    why.now,
  );
  return { kind: 'declined', refusal };
}

/**
 * One run per key at a time: concurrent callers (retries racing) share the run in flight.
 * A payment is signed once this way, and its guarded UPDATE keeps the first signature.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    let current = this.running.get(key);
    if (!current) {
      current = work().finally(() => this.running.delete(key));
      this.running.set(key, current);
    }
    return current;
  }
}
