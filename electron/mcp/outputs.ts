/**
 * The output schemas of the MCP tools (`outputSchema`): what their `structuredContent`
 * holds, picked from the `/v1` views the server validates with. results.ts makes the
 * answers themselves.
 */
import { z } from 'zod';
import { balance, policyView, spendRequest } from '../../shared/schemas/agent-api';
import { agentBudgetRequestView } from '../../shared/schemas/budget-requests';
import { receiptResult } from '../../shared/schemas/receipts';
import { x402PaymentView } from '../../shared/schemas/x402';
import { payoutIntentView } from '../../shared/schemas/payouts';

const extras = {
  idempotency_key: z.string().optional().describe('send it again to retry this same request'),
  next_step: z.string().describe('what to do now'),
};

/**
 * An output schema: a loose object of the `fields` of a shared view that a model should look
 * at, typed from that view, then `more`. The rest of the view rides along, so a field the
 * server adds later does not break a client that validates structuredContent against it.
 */
function outputOf<
  S extends z.ZodRawShape,
  K extends keyof S & string,
  M extends z.ZodRawShape = Record<never, never>,
>(view: z.ZodObject<S>, fields: K[], more: M = {} as M) {
  const picked = Object.fromEntries(fields.map((field) => [field, view.shape[field]]));
  return z.looseObject({ ...(picked as Pick<S, K>), ...more });
}

export const spendOutput = outputOf(
  spendRequest,
  [
    'id',
    'status',
    'decision_reason',
    'decision_rule',
    'amount_cents',
    'merchant_name',
    'remaining_budget_cents',
    'budget_period',
    'approval_url',
    'expires_at',
  ],
  extras,
);

export const budgetOutput = outputOf(
  agentBudgetRequestView,
  [
    'id',
    'status',
    'requested_amount_cents',
    'approved_amount_cents',
    'remaining_cents',
    'expires_at',
    'remaining_budget_cents',
  ],
  {
    approval_url: z
      .string()
      .optional()
      .describe('while pending: where the human approves it, in Purser'),
    ...extras,
  },
);

export const receiptOutput = outputOf(
  receiptResult,
  [
    'id',
    'amount_cents',
    'merchant_name',
    'spend_request_id',
    'over_budget',
    'over_limits',
    'flags',
    'remaining_budget_cents',
  ],
  { idempotency_key: extras.idempotency_key },
);

export const x402Output = outputOf(
  x402PaymentView,
  [
    'id',
    'status',
    'spend_request_id',
    'decision',
    'decision_reason',
    'resource_url',
    'host',
    'pay_to',
    'amount_units',
    'amount_micros',
    'payment_header_name',
    'payment_signature',
    'valid_before',
  ],
  {
    idempotency_key: z.string().describe('send it again, with the same arguments, to retry this'),
    approval_url: spendRequest.shape.approval_url
      .optional()
      .describe('while awaiting_approval: where the human approves it'),
    expires_at: spendRequest.shape.expires_at.optional(),
    next_step: extras.next_step,
  },
);

export const balanceOutput = outputOf(balance, [
  'budget_period',
  'budget_cents',
  'spent_cents',
  'remaining_budget_cents',
  'over_budget',
  'funding_balance_cents',
  'frozen',
]);

export const policyOutput = outputOf(policyView, [
  'remaining_budget_cents',
  'max_transaction_cents',
  'approval_threshold_cents',
  'allow_merchants',
  'deny_merchants',
  'allowed_categories',
  'frozen',
]);

export const payoutOutput = outputOf(
  payoutIntentView,
  [
    'id',
    'status',
    'spend_request_id',
    'decision_reason',
    'pending_reason',
    'failure_reason',
    'tx_signature',
    'address',
    'chain',
    'amount_cents',
  ],
  { ...extras },
);

/** `pay`: an x402 or an MPP payment, the header to send with it and what to do next. */
export const payOutput = z.looseObject({
  object: z.enum(['x402_payment', 'mpp_payment']),
  id: z.string(),
  status: x402PaymentView.shape.status,
  spend_request_id: z.string(),
  decision_reason: z.string(),
  resource_url: z.string(),
  host: z.string(),
  amount_units: z.string(),
  amount_micros: z.int(),
  payment_header_name: z.string().optional().describe('x402: the header to send'),
  payment_signature: z.string().nullable().optional().describe('x402: its value'),
  authorization: z.string().nullable().optional().describe('MPP: the Authorization header value'),
  idempotency_key: z.string().describe('send it again, with the same arguments, to retry this'),
  approval_url: spendRequest.shape.approval_url
    .optional()
    .describe('while awaiting_approval: where the human approves it'),
  expires_at: spendRequest.shape.expires_at.optional(),
  next_step: extras.next_step,
});
