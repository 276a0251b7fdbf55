/**
 * The wire → domain translation of the agent and owner APIs: what a route hands the core is a command
 * in micro-dollars and camelCase, never a request body (docs/architecture.md). Each body's
 * idempotency claim is the body as the agent sent it, without its key and normalised (the
 * currency is always `usd`), so that a retry is recognised whatever spelling it uses.
 */
import { centsToMicros, microsFromNumber, type Micros } from '../../shared/money';
import type { SpendCreateBody } from '../../shared/schemas/agent-api';
import type { BudgetRequestCreateBody } from '../../shared/schemas/budget-requests';
import type { ReceiptCreateBody } from '../../shared/schemas/receipts';
import type { AgentCreateBody } from '../../shared/schemas/owner-api';
import type { AgentCommand } from '../core/agents/agent-service';
import { rulesFromInput } from '../core/policy/policy';
import type { BudgetRequestCommand } from '../core/budgets/budget-service';
import type { ReceiptCommand } from '../core/receipts/receipt-service';
import type { IdempotencyClaim, SpendCommand } from '../core/spend/spend-service';

/** The key, and the body without it, as what identifies the request. */
export function claimOf<B extends { idempotency_key?: string }>(
  key: string | undefined,
  body: B,
  normalise: (request: Omit<B, 'idempotency_key'>) => unknown = (request) => request,
): IdempotencyClaim | undefined {
  if (key === undefined) return undefined;
  const { idempotency_key: _key, ...request } = body;
  return { key, request: normalise(request) };
}

export const spendClaimOf = (key: string | undefined, body: SpendCreateBody) =>
  claimOf(key, body, (request) => ({ ...request, currency: 'usd' }));

export function spendCommandOf(body: SpendCreateBody): SpendCommand {
  return {
    amount: centsToMicros(body.amount_cents),
    merchant: body.merchant_name,
    reason: body.reason,
    category: body.category ?? null,
    metadata: body.metadata ?? null,
  };
}

export function budgetRequestCommandOf(body: BudgetRequestCreateBody): BudgetRequestCommand {
  return {
    amount: centsToMicros(body.amount_cents),
    purpose: body.purpose,
    category: body.category ?? null,
    metadata: body.metadata ?? null,
  };
}

export function receiptCommandOf(body: ReceiptCreateBody): ReceiptCommand {
  const amount: Micros =
    body.amount_micros !== undefined
      ? microsFromNumber(body.amount_micros)
      : centsToMicros(body.amount_cents ?? 0);
  return {
    amount,
    merchant: body.merchant_name ?? body.host ?? '',
    host: body.host ?? null,
    rail: body.rail,
    spendRequestId: body.spend_request_id ?? null,
    txHash: body.tx_hash ?? null,
    network: body.network ?? null,
    occurredAt: body.occurred_at ?? null,
    metadata: body.metadata ?? null,
  };
}

/** A new agent from the owner API's body: its policy read into the core's units. */
export function agentCommandOf(body: AgentCreateBody): AgentCommand {
  const { name, mode, funding_source_id, ...policy } = body;
  return { name, mode, fundingSourceId: funding_source_id ?? null, policy: rulesFromInput(policy) };
}
