/**
 * `purser mcp`: Purser's agent API (`/v1`) as MCP tools, for an agent whose host speaks MCP.
 * Every tool is a call of the typed agent client (shared/client/purser-client.ts) with the
 * agent's own spending key (pay and pay_x402 also read the spend request of a pending payment: payment-tools.ts), so it can do exactly what that key can and no more: no tool
 * approves, edits a policy, issues a key or reaches an owner route (docs/trust-model.md,
 * "Who is who"). Purser decides; these tools only ask and report.
 */
import { randomUUID } from 'node:crypto';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type {
  AnySchema,
  ShapeOutput,
  ZodRawShapeCompat,
} from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type {
  BudgetInput,
  PayoutInput,
  PurserClient,
  ReceiptInput,
  SpendInput,
} from '../../shared/client';
import { approvalPrompts } from './approval-prompts';
import { registerPaymentTools } from './payment-tools';
import { whileWaiting } from './waiting';
import {
  MAX_WAIT_SECONDS,
  budgetShape,
  payoutShape,
  receiptShape,
  spendShape,
  waitShape,
} from './inputs';
import {
  approvalsPage,
  balanceAnswer,
  budgetAnswer,
  errorAnswer,
  payoutAnswer,
  policyAnswer,
  receiptAnswer,
  spendAnswer,
} from './results';
import {
  balanceOutput,
  budgetOutput,
  payoutOutput,
  policyOutput,
  receiptOutput,
  spendOutput,
} from './outputs';

/**
 * Tool annotations, as MCP defines them (ToolAnnotations, in the specification's schema.ts
 * and the SDK's spec.types.ts): `idempotentHint: true` says "calling the tool repeatedly
 * with the same arguments will have no additional effect on its environment" (meaningful
 * only when readOnlyHint is false; default false). They are hints a client may use, for
 * one to decide whether retrying a call is harmless, so each is set only where it is true.
 *
 * - request_spend, request_budget, record_receipt, send_payout take an optional idempotency_key and
 *   make one when the model sends none: the same arguments without a key, twice, are two
 *   requests (two spends, two receipts). So not idempotent: `idempotentHint: false`. (Making
 *   the key required would make them so, but a model that forgets it would get an error
 *   instead of a spend; the key made for it is returned, and the descriptions say to reuse it.)
 * - pay and pay_x402 require their idempotency_key, and Purser answers the same key with the
 *   same payment and the same signature, never a second payment (test/chain/x402-pay.test.ts,
 *   mpp.test.ts): repeating a call with the same arguments adds nothing. `idempotentHint: true`.
 * - The rest only read: `readOnlyHint: true`.
 * The tools that write add something new (a request, a receipt, a payment) and never change
 * or delete what is there: `destructiveHint: false`.
 */
const CREATES: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
};
const CREATES_BY_KEY: ToolAnnotations = { ...CREATES, idempotentHint: true };
const READS: ToolAnnotations = { readOnlyHint: true };

export interface McpServerOptions {
  /** Where diagnostics go; stdout is the protocol, so the default is stderr. */
  log?: (line: string) => void;
  newIdempotencyKey?: () => string;
}

const VERSION = '0.1.0';

const NEEDS_APPROVAL_HELP =
  'When the answer is needs_approval, a human has to approve it in Purser: tell them to, ' +
  'giving the approval_url, then wait with get_spend_request ' +
  `(id, wait ${MAX_WAIT_SECONDS}) until it is decided. Never try to approve it yourself, ` +
  'and never pay before it is approved.';

export function createPurserMcpServer(
  client: PurserClient,
  options: McpServerOptions = {},
): McpServer {
  const log = options.log ?? ((line: string) => process.stderr.write(`purser mcp: ${line}\n`));
  const newKey = options.newIdempotencyKey ?? randomUUID;
  const server = new McpServer(
    { name: 'purser', title: 'Purser', version: VERSION },
    {
      instructions:
        'Purser is the wallet that governs what you spend. Ask with request_spend before ' +
        'paying for anything, and pay only when it answers approved. To pay an x402 paywall ' +
        '(an HTTP 402 with a PAYMENT-REQUIRED header) from your Purser-held wallet, use ' +
        'pay_x402 instead: it asks and, once allowed, signs the payment; pay does the same ' +
        'for an x402 or an MPP 402 (a WWW-Authenticate: Payment header). To pay an address ' +
        'on chain, use send_payout: Purser decides, signs and sends it. ' +
        NEEDS_APPROVAL_HELP,
    },
  );
  const prompts = approvalPrompts(server, client.url, log);

  /** One client call as a tool result; an API error becomes a tool error the model reads. */
  async function run<T>(
    tool: string,
    call: () => Promise<T>,
    shape: (value: T) => CallToolResult,
    idempotencyKey?: string,
  ): Promise<CallToolResult> {
    try {
      return shape(await call());
    } catch (error) {
      log(`${tool}: ${error instanceof Error ? error.message : String(error)}`);
      return errorAnswer(error, idempotencyKey);
    }
  }

  /** What a tool says of itself; the helpers below add its annotations (and input schema). */
  interface Described {
    title: string;
    description: string;
    outputSchema: AnySchema;
  }

  /**
   * A tool that asks Purser for something new (a spend, a budget, a receipt): idempotent by
   * its key, which is made here when the model sent none and repeated in the answer.
   */
  function creating<Input extends ZodRawShapeCompat, View>(
    name: string,
    tool: Described & { inputSchema: Input },
    call: (body: ShapeOutput<Input> & { idempotency_key: string }) => Promise<View>,
    answer: (view: View, idempotencyKey: string) => CallToolResult,
  ): void {
    server.registerTool<AnySchema, ZodRawShapeCompat>(
      name,
      { ...tool, annotations: CREATES },
      (args) => {
        // The SDK has checked args against tool.inputSchema.
        const input = args as ShapeOutput<Input> & { idempotency_key?: string };
        const body = { ...input, idempotency_key: input.idempotency_key ?? newKey() };
        return run(
          name,
          () => call(body),
          (view) => answer(view, body.idempotency_key),
          body.idempotency_key,
        );
      },
    );
  }

  /** A tool that reads one request by id, waiting (MAX_WAIT_SECONDS at most) while pending. */
  function waiting<View>(
    name: string,
    what: string,
    tool: Described,
    read: (id: string, options: { wait?: number }) => Promise<View>,
    answer: (view: View) => CallToolResult,
  ): void {
    server.registerTool(
      name,
      { ...tool, inputSchema: waitShape(what), annotations: READS },
      ({ id, wait }, extra) => {
        // The shape caps wait; the cap is applied here too, as it is what keeps a call under
        // the client's timeout.
        const seconds = wait === undefined ? undefined : Math.min(wait, MAX_WAIT_SECONDS);
        return run(
          name,
          () => whileWaiting(name, extra, seconds, () => read(id, { wait: seconds })),
          answer,
        );
      },
    );
  }

  /** A tool without arguments that reads the agent's state. */
  function reading<View>(
    name: string,
    tool: Described,
    read: () => Promise<View>,
    answer: (view: View) => CallToolResult,
  ): void {
    server.registerTool(name, { ...tool, annotations: READS }, () => run(name, read, answer));
  }

  creating(
    'request_spend',
    {
      title: 'Ask to spend',
      description:
        'Ask Purser for permission to spend money, before paying for anything. The answer ' +
        'is the decision: approved (you may pay), declined (do not pay) or needs_approval. ' +
        `${NEEDS_APPROVAL_HELP} When retrying the same purchase, send the same ` +
        'idempotency_key again, never a new one: the result tells you the key to reuse.',
      inputSchema: spendShape,
      outputSchema: spendOutput,
    },
    (body) => client.spend(body satisfies SpendInput),
    (view, idempotencyKey) => {
      prompts.forSpend(view);
      return spendAnswer(view, idempotencyKey);
    },
  );

  waiting(
    'get_spend_request',
    'spend request',
    {
      title: 'Read a spend request',
      description:
        'Read a spend request you made, by id. With wait ' +
        `(up to ${MAX_WAIT_SECONDS} s) the call waits while it is needs_approval and returns ` +
        'as soon as the human decides; call it again while it is still pending. It only ' +
        'reads: approving is for the human, in Purser.',
      outputSchema: spendOutput,
    },
    (id, options) => client.getSpend(id, options),
    spendAnswer,
  );

  reading(
    'get_balance',
    {
      title: 'Budget left',
      description:
        'What is left of your budget in the current period, what you spent, what your ' +
        'funding source holds, and whether the wallet is frozen. Read-only.',
      outputSchema: balanceOutput,
    },
    () => client.balance(),
    balanceAnswer,
  );

  reading(
    'get_policy',
    {
      title: 'Spending rules',
      description:
        'The rules Purser applies to your spends: budget, largest single spend, the amount ' +
        'above which a human must approve, allowed and denied merchants and categories. ' +
        'Read-only; only the human can change them.',
      outputSchema: policyOutput,
    },
    () => client.policy(),
    policyAnswer,
  );

  creating(
    'request_budget',
    {
      title: 'Ask for a budget',
      description:
        'Ask the human for a budget for one purpose (a sum your request_spend calls then draw ' +
        'on), when your periodic budget is not enough. It stays pending until the human ' +
        'approves it in Purser: tell them to, giving the approval_url, then wait with ' +
        `get_budget_request (id, wait ${MAX_WAIT_SECONDS}). Never try to approve it yourself. ` +
        'When retrying, send the same idempotency_key.',
      inputSchema: budgetShape,
      outputSchema: budgetOutput,
    },
    (body) => client.requestBudget(body satisfies BudgetInput),
    (view, idempotencyKey) => {
      prompts.forBudget(view);
      return budgetAnswer(view, idempotencyKey, approvalsPage(client.url));
    },
  );

  waiting(
    'get_budget_request',
    'budget request',
    {
      title: 'Read a budget request',
      description:
        `Read a budget request you made, by id. With wait (up to ${MAX_WAIT_SECONDS} s) the call ` +
        'waits while it is pending and returns as soon as the human decides. It only reads.',
      outputSchema: budgetOutput,
    },
    (id, options) => client.getBudgetRequest(id, options),
    (view) => budgetAnswer(view, undefined, approvalsPage(client.url)),
  );

  creating(
    'record_receipt',
    {
      title: 'Report a payment',
      description:
        'Report a payment you made outside Purser (x402 from your own wallet, a card, on ' +
        'chain), so that it counts against your budget. Name the approved spend_request_id ' +
        'it settles, if any. Report each payment once; if you report it again (a retry), ' +
        'send the same idempotency_key.',
      inputSchema: receiptShape,
      outputSchema: receiptOutput,
    },
    // The shape checks JSON types only (see inputs.ts); Purser refuses a receipt without
    // exactly one amount or without a payee as invalid_request.
    (body) => client.recordReceipt(body as ReceiptInput),
    receiptAnswer,
  );

  creating(
    'send_payout',
    {
      title: 'Pay an address on chain',
      description:
        'Pay a recipient in USDC on chain from your Purser-held wallet: a recipient the owner ' +
        'saved (rcp_…) or an address. Purser decides it by your policy (a first payout to an ' +
        'address usually needs the human), then signs and sends it itself. The answer is the ' +
        'payout: follow it with get_payout until it is completed (tx_signature) or failed. ' +
        'When retrying the same payout, send the same idempotency_key again, never a new one.',
      inputSchema: payoutShape,
      outputSchema: payoutOutput,
    },
    (body) => client.createPayout(body satisfies PayoutInput),
    payoutAnswer,
  );

  waiting(
    'get_payout',
    'payout',
    {
      title: 'Read a payout',
      description:
        `Read a payout you made, by id. With wait (up to ${MAX_WAIT_SECONDS} s) the call waits ` +
        'until its status changes. It only reads.',
      outputSchema: payoutOutput,
    },
    (id, options) => client.getPayout(id, options),
    (view) => payoutAnswer(view),
  );

  registerPaymentTools(server, client, { run, prompts, log, annotations: CREATES_BY_KEY });

  return server;
}
