import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type {
  AnyPaymentView,
  PayInput,
  PurserClient,
  SpendRequestView,
  X402PayInput,
} from '../../shared/client';
import type { approvalPrompts } from './approval-prompts';
import { MAX_WAIT_SECONDS, payShape, x402PayShape } from './inputs';
import { payOutput, x402Output } from './outputs';
import { paymentAnswer } from './results';

/** What the payment tools use of the server's own helpers (server.ts). */
export interface PaymentToolParts {
  run<T>(
    tool: string,
    call: () => Promise<T>,
    shape: (value: T) => CallToolResult,
    idempotencyKey?: string,
  ): Promise<CallToolResult>;
  prompts: ReturnType<typeof approvalPrompts>;
  log: (line: string) => void;
  annotations: ToolAnnotations;
}

/**
 * `pay` (x402 or MPP, docs/mpp.md) and `pay_x402` (docs/chain.md): one payment per
 * idempotency key. A payment that waits for the human also reads its spend request, which
 * names where they approve (and, with a client that can, opens it for them).
 */
export function registerPaymentTools(
  server: McpServer,
  client: PurserClient,
  parts: PaymentToolParts,
): void {
  const { run, prompts, log, annotations } = parts;

  async function payThenAsk<View extends AnyPaymentView>(
    tool: 'pay' | 'pay_x402',
    pay: () => Promise<View>,
  ): Promise<{ view: View; approval?: SpendRequestView }> {
    const view = await pay();
    if (view.status !== 'awaiting_approval') return { view };
    const approval = await client.getSpend(view.spend_request_id).catch((error) => {
      log(`${tool}: reading ${view.spend_request_id}: ${String(error)}`);
      return undefined;
    });
    if (approval) prompts.forSpend(approval);
    return { view, approval };
  }

  server.registerTool(
    'pay',
    {
      title: 'Pay a 402 (x402 or MPP)',
      description:
        'Pay whatever a URL answered with HTTP 402, from your Purser-held wallet: an x402 ' +
        'answer (its PAYMENT-REQUIRED header as payment_required) or an MPP one (its ' +
        'WWW-Authenticate "Payment" header as www_authenticate). Purser judges it by your ' +
        'policy and, if allowed, signs it: the result names the header to send with your ' +
        'request to resource_url again. One idempotency_key per payment, the same on every ' +
        'retry, including the call after an approval; a new key is a new payment. When the ' +
        'status is awaiting_approval, a human has to approve it in Purser: tell them to, ' +
        `giving the approval_url, wait with get_spend_request (spend_request_id, wait ${MAX_WAIT_SECONDS}), ` +
        'then call pay again with the same arguments and idempotency_key. Never try to ' +
        'approve it yourself. A policy_declined error means do not pay and do not retry.',
      inputSchema: payShape,
      outputSchema: payOutput,
      annotations,
    },
    ({ idempotency_key, ...input }) =>
      run(
        'pay',
        () =>
          payThenAsk('pay', () =>
            client.pay(input satisfies PayInput, { idempotencyKey: idempotency_key }),
          ),
        ({ view, approval }) => paymentAnswer(view, idempotency_key, approval, 'pay'),
        idempotency_key,
      ),
  );

  server.registerTool(
    'pay_x402',
    {
      title: 'Pay an x402 paywall',
      description:
        'Pay an x402 paywall (a URL that answered HTTP 402 with a PAYMENT-REQUIRED header, ' +
        'or an x402 v1 JSON body) from your Purser-held wallet. Purser judges the payment by ' +
        'your policy and, if it is allowed, signs it: the result gives the header to attach ' +
        '(payment_header_name set to payment_signature) when you send the same request to ' +
        'resource_url again. Choose one idempotency_key per payment and send that same key ' +
        'on every retry of it, including the call after an approval; never mint a new one ' +
        'for a payment you already asked about, or you pay twice. When the status is ' +
        'awaiting_approval, a human has to approve it in Purser: tell them to, giving the ' +
        `approval_url, wait with get_spend_request (spend_request_id, wait ${MAX_WAIT_SECONDS}) ` +
        'until it is approved, then call pay_x402 again with the same arguments and ' +
        'idempotency_key to get the signature. Never try to approve it yourself. A ' +
        'policy_declined error means do not pay and do not retry.',
      inputSchema: x402PayShape,
      outputSchema: x402Output,
      annotations,
    },
    ({ idempotency_key, ...input }) =>
      run(
        'pay_x402',
        () =>
          payThenAsk('pay_x402', () =>
            client.payX402(input satisfies X402PayInput, { idempotencyKey: idempotency_key }),
          ),
        ({ view, approval }) => paymentAnswer(view, idempotency_key, approval, 'pay_x402'),
        idempotency_key,
      ),
  );
}
