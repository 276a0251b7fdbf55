/**
 * What the MCP tools answer: the `/v1` object as `structuredContent` (what a program reads),
 * a few lines of text saying the same for models that read text only, and for an API error
 * a tool error naming its code with what to do next (docs/errors.md, "What a client should
 * do"). Text from elsewhere (merchant names, the owner's comments) goes through `visible`,
 * as everywhere Purser shows it (shared/text/visible.ts).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PurserApiError } from '../../shared/client';
import type {
  BalanceView,
  BudgetRequestResult,
  PolicyView,
  AnyPaymentView,
  PayoutIntentView,
  ReceiptResult,
  SpendRequestView,
} from '../../shared/client';
import { visible } from '../../shared/text/visible';
import { formatCents } from '../../shared/money';
import { MAX_WAIT_SECONDS } from './inputs';

const usd = (cents: number | null | undefined) =>
  cents === null || cents === undefined ? 'none' : formatCents(cents);

const answer = (lines: string[], structured: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text: lines.join('\n') }],
  structuredContent: structured,
});

const NEVER_APPROVE = 'Do not try to approve it yourself, and do not pay before it is approved.';

function spendNextStep(view: SpendRequestView): string {
  switch (view.status) {
    case 'approved':
      return (
        'Approved: you may pay now. If you pay outside Purser, report it with record_receipt ' +
        `(spend_request_id "${view.id}").`
      );
    case 'needs_approval':
      return (
        `Tell the human to approve it in Purser${view.approval_url ? ` at ${view.approval_url}` : ''}` +
        `${view.expires_at ? ` before ${view.expires_at}` : ''}, then call get_spend_request ` +
        `with id "${view.id}" and wait ${MAX_WAIT_SECONDS}, again while it is pending. ${NEVER_APPROVE}`
      );
    case 'declined':
      return 'Declined: do not pay, and do not ask again for the same thing; tell the human if you need it.';
    default:
      return `The request is ${view.status}: do not pay on it. Ask again only if you still need it.`;
  }
}

export function spendAnswer(view: SpendRequestView, idempotencyKey?: string): CallToolResult {
  const next = spendNextStep(view);
  return answer(
    [
      `${view.status}: ${usd(view.amount_cents)} to ${visible(view.merchant_name)} (spend request ${view.id}).`,
      `Why: ${visible(view.decision_reason)} [${view.decision_rule}]`,
      `Left of the ${view.budget_period} budget: ${usd(view.remaining_budget_cents)}.`,
      ...(idempotencyKey ? [`idempotency_key: ${idempotencyKey} (reuse it to retry this).`] : []),
      next,
    ],
    { ...view, ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}), next_step: next },
  );
}

/**
 * Where the owner approves a budget request: the Approvals page of Purser's window, where
 * it waits beside its agent's spend requests. A spend request's approval_url, which Purser
 * itself answers, is this page opened at the request (`/app/#/approvals/<id>`,
 * electron/api/routes/agent/spend.ts); the page opens single spend requests only, so a
 * budget request's URL is the page itself, on the same server.
 */
export function approvalsPage(purserUrl: string): string {
  return `${purserUrl.replace(/\/+$/, '')}/app/#/approvals`;
}

function budgetNextStep(view: BudgetRequestResult, approvalUrl: string | undefined): string {
  switch (view.status) {
    case 'pending':
      return (
        `Tell the human to approve budget request ${view.id} in Purser` +
        `${approvalUrl ? ` at ${approvalUrl}` : ''} before ${view.expires_at}, then call ` +
        `get_budget_request with id "${view.id}" and wait ${MAX_WAIT_SECONDS}, again while ` +
        'it is pending. Do not try to approve it yourself.'
      );
    case 'approved':
      return `Approved: spends with request_spend now draw on it until ${view.expires_at}.`;
    default:
      return `The budget request is ${view.status}: it gives you nothing more to spend.`;
  }
}

/**
 * A budget request's answer. `approvalsUrl` (approvalsPage) is given as approval_url while
 * the request is pending, as a pending spend request carries its own.
 */
export function budgetAnswer(
  view: BudgetRequestResult,
  idempotencyKey?: string,
  approvalsUrl?: string,
): CallToolResult {
  const approvalUrl = view.status === 'pending' ? approvalsUrl : undefined;
  const next = budgetNextStep(view, approvalUrl);
  const approved =
    view.approved_amount_cents === null
      ? ''
      : `, approved ${usd(view.approved_amount_cents)}, ${usd(view.remaining_cents)} left of it`;
  return answer(
    [
      `${view.status}: budget request ${view.id} for ${usd(view.requested_amount_cents)}${approved}.`,
      ...(view.comment ? [`Owner's comment: ${visible(view.comment)}`] : []),
      `Left of your periodic budget: ${usd(view.remaining_budget_cents)}.`,
      ...(idempotencyKey ? [`idempotency_key: ${idempotencyKey} (reuse it to retry this).`] : []),
      next,
    ],
    {
      ...view,
      ...(approvalUrl ? { approval_url: approvalUrl } : {}),
      ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
      next_step: next,
    },
  );
}

export function receiptAnswer(view: ReceiptResult, idempotencyKey: string): CallToolResult {
  return answer(
    [
      `Recorded receipt ${view.id}: ${usd(view.amount_cents)} to ${visible(view.merchant_name)} over ${view.rail}` +
        `${view.spend_request_id ? `, settling ${view.spend_request_id}` : ''}.`,
      ...(view.over_limits.length ? [`Over: ${view.over_limits.join(', ')}.`] : []),
      ...(view.flags.length ? [`Flagged: ${view.flags.join(', ')}.`] : []),
      `Left of the ${view.budget.budget_period} budget: ${usd(view.remaining_budget_cents)}.`,
      `idempotency_key: ${idempotencyKey} (reuse it if you report this payment again).`,
    ],
    { ...view, idempotency_key: idempotencyKey },
  );
}

/** The header a signed payment is sent with, and the field of the answer that holds it. */
function headerOf(view: AnyPaymentView): { name: string; field: string; value: string | null } {
  return view.object === 'mpp_payment'
    ? { name: 'Authorization', field: 'authorization', value: view.authorization }
    : { name: view.payment_header_name, field: 'payment_signature', value: view.payment_signature };
}

function paymentNextStep(
  view: AnyPaymentView,
  approval: SpendRequestView | undefined,
  tool: 'pay' | 'pay_x402',
): string {
  const retry = `call ${tool} again with the same arguments and idempotency_key`;
  const header = headerOf(view);
  switch (view.status) {
    case 'signed':
      return (
        `Paid: send your request to ${view.resource_url} again, unchanged, with the header ` +
        `${header.name} set to ${header.field}. Send it once. If that request ` +
        `fails, ${retry} to get the same signature back; never a new key, which would pay again.`
      );
    case 'settled':
      return (
        'This payment is already settled on chain: the resource received it. Do not pay ' +
        'again for the same request.'
      );
    case 'awaiting_approval': {
      const url = approval?.approval_url;
      const until = approval?.expires_at;
      return (
        `Tell the human to approve it in Purser${url ? ` at ${url}` : ''}` +
        `${until ? ` before ${until}` : ''}, then call get_spend_request with id ` +
        `"${view.spend_request_id}" and wait ${MAX_WAIT_SECONDS}, again while it is pending. Once it is ` +
        `approved, ${retry} to get the signature. ${NEVER_APPROVE}`
      );
    }
    default:
      return (
        `The payment is ${view.status} and has no signature to send: do not pay with it. ` +
        'Paying again would be a new payment, with a new idempotency_key.'
      );
  }
}

/** A payment (x402 or MPP) as `pay` and `pay_x402` answer it. */
export function paymentAnswer(
  view: AnyPaymentView,
  idempotencyKey: string,
  approval: SpendRequestView | undefined,
  tool: 'pay' | 'pay_x402',
): CallToolResult {
  const next = paymentNextStep(view, approval, tool);
  const amount = usd(view.amount_micros / 10_000);
  const header = headerOf(view);
  const payTo = view.object === 'mpp_payment' ? view.recipient : view.pay_to;
  return answer(
    [
      `${view.status}: ${amount} (${view.amount_units} units) to ${visible(view.host)} ` +
        `(${visible(payTo)}) for ${visible(view.resource_url)} (payment ${view.id}, spend request ` +
        `${view.spend_request_id}).`,
      `Why: ${visible(view.decision_reason)}`,
      ...(header.value ? [`Header to send: ${header.name}: ${header.value}`] : []),
      `idempotency_key: ${idempotencyKey} (reuse it to retry this payment).`,
      next,
    ],
    {
      ...view,
      idempotency_key: idempotencyKey,
      ...(approval ? { approval_url: approval.approval_url, expires_at: approval.expires_at } : {}),
      next_step: next,
    },
  );
}

export function balanceAnswer(view: BalanceView): CallToolResult {
  return answer(
    [
      `${usd(view.remaining_budget_cents)} left of the ${view.budget_period} budget ` +
        `(${usd(view.spent_cents)} of ${usd(view.budget_cents)} spent` +
        `${view.window_end ? `, window ends ${view.window_end}` : ''}).`,
      `Funding source holds ${usd(view.funding_balance_cents)}.`,
      ...(view.frozen
        ? ['The wallet is frozen: every spend is declined until the owner unfreezes it.']
        : []),
      ...(view.status === 'active' ? [] : [`The agent is ${view.status}.`]),
      ...(view.active_budget_request
        ? [
            `Budget request ${view.active_budget_request.id} is ${view.active_budget_request.status}.`,
          ]
        : []),
    ],
    { ...view },
  );
}

const list = (items: string[]) => (items.length ? items.map(visible).join(', ') : 'any');

export function policyAnswer(view: PolicyView): CallToolResult {
  return answer(
    [
      `${usd(view.remaining_budget_cents)} left of the ${view.budget.budget_period} budget of ${usd(view.budget.budget_cents)}.`,
      `Largest single spend: ${usd(view.max_transaction_cents)}; the owner approves anything over ${usd(view.approval_threshold_cents)}.`,
      `Merchants allowed: ${list(view.allow_merchants)}; denied: ${view.deny_merchants.map(visible).join(', ') || 'none'}.`,
      `Categories: ${list(view.allowed_categories)}. New merchants ${view.ask_on_new_merchant ? 'need approval' : 'are fine'}; over budget: ${view.over_budget}.`,
      ...(view.frozen ? ['The wallet is frozen.'] : []),
    ],
    { ...view },
  );
}

/** What the model should do about an error, by code (docs/errors.md, the catalog). */
function advice(error: PurserApiError): string {
  const d = error.details;
  switch (error.code) {
    case 'invalid_request':
      return error.status === 409
        ? 'The object is no longer in a state that allows this; read it again.'
        : 'Fix the fields named above and call again; nothing was recorded.';
    case 'idempotency_key_conflict':
      return (
        `This idempotency_key was already used for a different request (${String(d.original_id ?? 'another object')}). ` +
        'If you are retrying that same purchase, send exactly the same fields as the first time. ' +
        'If this is a new purchase, it needs its own new key.'
      );
    case 'budget_request_exists':
      return `You already have a ${String(d.status ?? 'open')} budget request ${String(d.id ?? '')}: follow it with get_budget_request instead of asking again.`;
    case 'funding_source_budget_exceeded':
    case 'plan_spend_volume_exceeded':
      return (
        `A hard limit is reached (${d.period ? `${String(d.period)} ` : ''}limit ${usd(d.limit as number)}, ` +
        `${usd(d.remaining as number)} remaining). Do not retry: only the human can raise it. ` +
        'Tell them; once they have, retry with the same idempotency_key.'
      );
    case 'insufficient_wallet_balance':
      return 'Do not retry: the human has to add money to the funding source first; then retry with the same idempotency_key.';
    case 'policy_declined':
      return 'The policy refuses this. Do not retry.';
    case 'rate_limited':
      return `Too many requests: wait ${String(d.retry_after_seconds ?? 'a few')} seconds, then retry with the same idempotency_key.`;
    case 'invalid_api_key':
    case 'revoked_api_key':
    case 'insufficient_scope':
      return "This MCP server's spending key (PURSER_KEY) cannot do this. Do not retry; tell the human.";
    case 'not_found':
      return 'No such id among your requests: check the id.';
    default:
      return 'Purser could not answer. Retrying the same call with the same idempotency_key is safe.';
  }
}

/**
 * An API error as a tool error: the model reads it and acts; the protocol stays up. The
 * idempotency key of a creating call is repeated, since a retry (after a 402 is resolved, a
 * 500, a timeout) must reuse it and the model may not have chosen it.
 */
export function errorAnswer(error: unknown, idempotencyKey?: string): CallToolResult {
  if (!(error instanceof PurserApiError)) throw error;
  const status = error.status ? ` (HTTP ${error.status})` : '';
  const key = idempotencyKey ? [`idempotency_key: ${idempotencyKey}`] : [];
  const lines = [`Error ${error.code}${status}: ${visible(error.message)}`, advice(error), ...key];
  return { content: [{ type: 'text', text: lines.join('\n') }], isError: true };
}

function payoutNextStep(view: PayoutIntentView): string {
  switch (view.status) {
    case 'completed':
      return `Paid on chain (transaction ${view.tx_signature ?? 'unknown'}). Nothing more to do.`;
    case 'needs_approval':
      return (
        'A human has to approve this payout in Purser: tell them to, then call get_payout with ' +
        `id "${view.id}" and wait ${MAX_WAIT_SECONDS}, again while it is not at its end. ${NEVER_APPROVE}`
      );
    case 'approved':
    case 'awaiting_signature':
    case 'submitted':
      return (
        `Purser is paying it (${view.status}). Call get_payout with id "${view.id}" and wait ` +
        `${MAX_WAIT_SECONDS} until it is completed or failed. Do not send it again with a new key.`
      );
    case 'declined':
      return 'Declined: nothing was paid. Do not ask again for the same payout; tell the human if you need it.';
    case 'failed':
      return 'Failed: nothing was paid and the money was given back. Tell the human before trying again.';
    default:
      return `The payout is ${view.status}: nothing was paid.`;
  }
}

export function payoutAnswer(view: PayoutIntentView, idempotencyKey?: string): CallToolResult {
  const next = payoutNextStep(view);
  return answer(
    [
      `${view.status}: ${usd(view.amount_cents)} of USDC to ${view.address} on ${view.chain} (payout ${view.id}).`,
      `Why: ${visible(view.decision_reason)}`,
      ...(view.pending_reason ? [`Waiting: ${visible(view.pending_reason)}`] : []),
      ...(view.failure_reason ? [`Failed: ${visible(view.failure_reason)}`] : []),
      ...(idempotencyKey ? [`idempotency_key: ${idempotencyKey} (reuse it to retry this).`] : []),
      next,
    ],
    { ...view, ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}), next_step: next },
  );
}
