/**
 * The input shapes of the MCP tools: the `/v1` field names and JSON types, with what Purser
 * accepts written in each description for the model.
 *
 * Why not the shared body schemas themselves (shared/schemas/agent-api.ts and siblings):
 * the SDK validates arguments before a tool runs and answers a failure with its own text,
 * which carries none of Purser's error codes. So these shapes check only the JSON Schema
 * types (`integer` for every amount in cents or micros, which is what `tools/list` shows a
 * model), and Purser checks every value (range, currency, length, metadata size) as it does
 * for any agent, answering `invalid_request` with the offending fields (docs/errors.md). One
 * validator, one set of messages. The `satisfies` checks in server.ts keep these shapes
 * assignable to the client's input types, so a renamed or retyped field fails to compile.
 */
import { z } from 'zod';
import { RAILS } from '../../shared/domain';

export const IDEMPOTENCY_HELP =
  'Optional. One key per purchase: when you retry the same purchase (after a timeout, an ' +
  'error or a restart), send the same idempotency_key again and you get the same request ' +
  'back, never a second charge. Never mint a new key for a purchase you already asked ' +
  'about. Without one, a key is made for you and returned in the result: keep it for retries.';

/**
 * A whole number: `"type": "integer"` in the JSON Schema a client lists, so a model is told
 * that 12.5 is not an amount. The range is Purser's to check (see above).
 */
const whole = () => z.number().int();
const cents = (what: string) =>
  whole().describe(`${what}, in whole US cents (1250 = $12.50); at least 1.`);
const text = (what: string, max: number) =>
  z.string().describe(`${what}; not empty, at most ${max} characters.`);
const optional = {
  category: z
    .string()
    .optional()
    .describe(
      'Optional category, as the owner names them (see get_policy); at most 64 characters.',
    ),
  metadata: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Optional JSON object for your own bookkeeping (order ids, ...); at most 4 KiB.'),
  idempotency_key: z.string().optional().describe(IDEMPOTENCY_HELP),
};

export const spendShape = {
  amount_cents: cents('What you want to spend'),
  currency: z.string().optional().describe('"usd", the default ("usdc" counts as usd).'),
  merchant_name: text('Who gets paid, as the merchant names itself (e.g. "OpenAI")', 200),
  reason: text('Why you need it, in a sentence the owner will read when deciding', 1000),
  ...optional,
};

/**
 * The longest `wait` a tool takes, in seconds. Purser's long poll goes to 60 s, but an MCP
 * client gives up on a request after its own timeout: 60 s in the SDK's Client
 * (DEFAULT_REQUEST_TIMEOUT_MSEC), which hosts built on it keep unless they set another (the
 * MCP Inspector timed out at 60 s too, issue 22), and progress notifications push it back
 * only for a client that asked for that (resetTimeoutOnProgress). A wait of 60 s answers
 * just after such a client has given up (-32001 Request timed out); 50 s leaves room for
 * Purser's answer and the transport (server.ts bounds the whole call at 55 s).
 */
export const MAX_WAIT_SECONDS = 50;

export const waitShape = (what: string) => ({
  id: z.string().describe(`The ${what} id, as returned when you asked.`),
  wait: z
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .optional()
    .describe(
      `Seconds (0-${MAX_WAIT_SECONDS}) to wait for a pending ${what} to be decided; the call ` +
        'returns as soon as it is. Call again while it is still pending.',
    ),
});

export const budgetShape = {
  amount_cents: cents('The budget you ask for'),
  purpose: text('What the budget is for, in a sentence the owner will read when deciding', 1000),
  ...optional,
};

export const receiptShape = {
  amount_cents: whole()
    .optional()
    .describe('What you paid, in whole US cents. Give this or amount_micros, not both.'),
  amount_micros: whole()
    .optional()
    .describe('What you paid, in micro-dollars (USDC base units: 1000000 = $1).'),
  merchant_name: z
    .string()
    .optional()
    .describe('Who you paid (at most 200 characters). Give this, host, or both.'),
  host: z.string().optional().describe('The host you paid, like api.example.com.'),
  rail: z.enum(RAILS).describe('How you paid.'),
  spend_request_id: z
    .string()
    .optional()
    .describe('The approved spend request this payment settles, if any.'),
  tx_hash: z.string().optional().describe('On-chain payments: the transaction hash.'),
  network: z.string().optional().describe('On-chain payments: the network, like base.'),
  occurred_at: z
    .string()
    .optional()
    .describe('When you paid, ISO 8601 with an offset; default: now.'),
  metadata: optional.metadata,
  idempotency_key: z
    .string()
    .optional()
    .describe(
      'Optional. One key per payment: if you report the same payment again, send the same ' +
        'key, so it is counted once. Without one, a key is made and returned.',
    ),
};

export const X402_IDEMPOTENCY_HELP =
  'Required. One key per payment, made up by you (a UUID, say) the first time you ask to ' +
  'pay this 402. Send the same idempotency_key again on every retry of this payment (after ' +
  'a timeout, an error, a restart, or once the human approved it): you get the same payment ' +
  'and the same signature back, never a second payment. Never mint a new key for a payment ' +
  'you already asked about; a new key is a new payment.';

export const x402PayShape = {
  resource_url: z
    .string()
    .describe('The URL that answered 402, exactly as you requested it (absolute http(s) URL).'),
  payment_required: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .describe(
      'The 402 answer, unchanged: the value of its PAYMENT-REQUIRED header (a base64 string), ' +
        'or for x402 v1 (no such header) its JSON body as an object.',
    ),
  requirement: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'Optional: the entry of the 402 answer’s accepts to pay, copied exactly; by default ' +
        'the first one Purser can pay.',
    ),
  reason: z
    .string()
    .optional()
    .describe('Optional: why you pay, in a sentence the owner reads; at most 500 characters.'),
  category: optional.category,
  idempotency_key: z.string().describe(X402_IDEMPOTENCY_HELP),
};

/** `send_payout`: `POST /v1/crypto/payout-intents` (docs/payouts.md). */
export const payoutShape = {
  recipient: z
    .string()
    .describe(
      'Who to pay: a recipient the owner saved (rcp_…) or an address (0x and 40 hex digits).',
    ),
  amount_cents: cents('What to pay, in USDC'),
  network: z
    .string()
    .optional()
    .describe('Optional: the chain (local, base-sepolia, base); by default the first configured.'),
  reason: text('Why you pay, in a sentence the owner will read when deciding', 500),
  metadata: optional.metadata,
  idempotency_key: optional.idempotency_key,
};

/** `pay`: whatever 402 was received (`POST /v1/pay`): x402 or MPP, told apart by which field is set. */
export const payShape = {
  resource_url: x402PayShape.resource_url,
  payment_required: x402PayShape.payment_required
    .optional()
    .describe(
      'For x402: the value of the 402 answer’s PAYMENT-REQUIRED header (a base64 string), or ' +
        'for x402 v1 its JSON body. Give this or www_authenticate, not both.',
    ),
  www_authenticate: z
    .string()
    .optional()
    .describe(
      'For MPP: the 402 answer’s WWW-Authenticate header value, unchanged (it starts with ' +
        '"Payment "). Give this or payment_required, not both; when a 402 has both, give this.',
    ),
  requirement: x402PayShape.requirement,
  challenge_id: z
    .string()
    .optional()
    .describe(
      'Optional, MPP: the id of the challenge to pay; by default the first Purser can pay.',
    ),
  reason: x402PayShape.reason,
  category: optional.category,
  idempotency_key: z.string().describe(X402_IDEMPOTENCY_HELP),
};
