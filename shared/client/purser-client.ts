/**
 * The TypeScript client of Purser's agent API (`/v1`), for agents: typed from the same
 * schemas the server validates with, and safe to retry.
 *
 * Retry rules (docs/errors.md, "Retrying"): 429 (honouring `Retry-After`), 500, 502, 503,
 * timeouts and network errors are retried with exponential backoff and full jitter,
 * always with the same idempotency key, so a retry can never spend twice. 400, 401, 402,
 * 403, 404 and 409 are answers, never retried. A creating call without an idempotency key
 * gets one generated, once per logical call.
 *
 * x402 (docs/chain.md): `payX402` asks Purser to judge and sign a payment from the agent's
 * Purser-held wallet, and `fetchWithPurser` wraps fetch with the whole 402 → pay → retry
 * dance, one payment per call at most.
 *
 * No dependencies beyond what Node ≥ 20 and browsers have (fetch, Request, AbortController,
 * crypto.randomUUID); types only from the schemas, so zod is not loaded at run time.
 */
import { asApiError, PurserApiError } from './errors.js';
import { parse, waitQuery } from './http.js';
import { nodeTransport } from './node-transport.js';
import type { Transport, TransportResponse } from './transport.js';
import type {
  BalanceView,
  BudgetInput,
  BudgetRequestList,
  BudgetRequestResult,
  BudgetRequestView,
  AnyPaymentView,
  MppPayInput,
  MppPaymentView,
  PayInput,
  PayoutInput,
  PayoutIntentView,
  PolicyView,
  PurserClientOptions,
  ReceiptInput,
  ReceiptResult,
  SpendInput,
  SpendRequestView,
  X402PayInput,
  X402PaymentView,
} from './types.js';
import type { ErrorEnvelope } from './wire-types.js';

export const DEFAULT_URL = 'http://127.0.0.1:8402';

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
  /** More headers, the same on every retry (the Idempotency-Key of an x402 payment). */
  headers?: Record<string, string>;
  /** Long polls: how long the server may hold the call. */
  waitSeconds?: number;
}

/** Final states of a spend request: waiting for one of them is over. */
const SETTLED = new Set(['approved', 'declined', 'expired', 'cancelled']);

/** Node (not a browser, Deno's or Bun's fetch): node-transport.ts says why it is used there. */
const onNode = () =>
  typeof process !== 'undefined' &&
  typeof process.versions?.node === 'string' &&
  !('Bun' in globalThis);

export class PurserClient {
  readonly url: string;
  private readonly key: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly transport: Transport;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly newKey: () => string;

  constructor(options: PurserClientOptions) {
    if (!options.key) throw new Error('PurserClient needs a spending key (psk_…)');
    this.key = options.key;
    const url = (options.url ?? DEFAULT_URL).replace(/\/+$/, '');
    // `unix:/path/to/agent.sock`: every request goes to that socket (docs/trust-model.md,
    // "Agent listeners"); the Host it names is only a placeholder.
    const socketPath = url.startsWith('unix:') ? url.slice('unix:'.length) : undefined;
    this.url = socketPath === undefined ? url : 'http://localhost';
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.transport =
      options.fetch ??
      (socketPath !== undefined || url.startsWith('https:') || onNode()
        ? nodeTransport({ socketPath, tlsFingerprint: options.tlsFingerprint })
        : (input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.newKey = options.newIdempotencyKey ?? (() => crypto.randomUUID());
  }

  /** Ask to spend. The answer is the decision: approved, declined or needs_approval. */
  spend(input: SpendInput): Promise<SpendRequestView> {
    return this.create<SpendRequestView>('/v1/spend', { currency: 'usd', ...input });
  }

  /** Read a spend request; with `wait` (≤ 60 s) the server holds the call while it is pending. */
  getSpend(id: string, options: { wait?: number } = {}): Promise<SpendRequestView> {
    return this.call({
      method: 'GET',
      path: `/v1/spend/${encodeURIComponent(id)}${waitQuery(options.wait)}`,
      waitSeconds: options.wait,
    });
  }

  /** Withdraw a pending request of this agent. */
  cancelSpend(id: string): Promise<SpendRequestView> {
    return this.call({ method: 'POST', path: `/v1/spend/${encodeURIComponent(id)}/cancel` });
  }

  /**
   * Waits until a spend request leaves `needs_approval` (approved, declined, expired or
   * cancelled) or `timeoutMs` passes, over the server's long poll; returns its state then.
   */
  async waitForDecision(
    id: string,
    options: { timeoutMs?: number } = {},
  ): Promise<SpendRequestView> {
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
    for (;;) {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      const request = await this.getSpend(id, { wait: Math.max(0, Math.min(60, left)) });
      if (SETTLED.has(request.status) || left <= 0) return request;
    }
  }

  balance(): Promise<BalanceView> {
    return this.call({ method: 'GET', path: '/v1/balance' });
  }

  policy(): Promise<PolicyView> {
    return this.call({ method: 'GET', path: '/v1/policy' });
  }

  /** Ask the owner for a budget for a purpose. */
  requestBudget(input: BudgetInput): Promise<BudgetRequestResult> {
    return this.create<BudgetRequestResult>('/v1/budget-requests', input);
  }

  listBudgetRequests(
    options: { status?: BudgetRequestView['status'] } = {},
  ): Promise<BudgetRequestList> {
    const query = options.status ? `?status=${encodeURIComponent(options.status)}` : '';
    return this.call({ method: 'GET', path: `/v1/budget-requests${query}` });
  }

  getBudgetRequest(id: string, options: { wait?: number } = {}): Promise<BudgetRequestResult> {
    return this.call({
      method: 'GET',
      path: `/v1/budget-requests/${encodeURIComponent(id)}${waitQuery(options.wait)}`,
      waitSeconds: options.wait,
    });
  }

  /** Report a payment made elsewhere (x402 from the agent's own wallet, a card, …). */
  recordReceipt(input: ReceiptInput): Promise<ReceiptResult> {
    return this.create<ReceiptResult>('/v1/receipts', input);
  }

  /**
   * Asks Purser to pay an x402 402 answer from the agent's Purser-held wallet
   * (`POST /v1/x402/pay`). The answer is the payment: `signed` with the header to send
   * (`payment_header_name: payment_signature`), or `awaiting_approval` (HTTP 202) while the
   * owner decides: wait on `spend_request_id` with `waitForDecision`, then call this again
   * with the same input and the same key to get the signature. A refusal throws a
   * PurserApiError `policy_declined` (402).
   *
   * The key is required, not generated: the call after an approval must reuse it, so the
   * caller has to know it. Retries (429, 5xx, timeouts) reuse it too, so a retry returns the
   * same signature and never signs a second payment.
   */
  payX402(input: X402PayInput, options: { idempotencyKey: string }): Promise<X402PaymentView> {
    if (!options.idempotencyKey) {
      throw new PurserApiError(400, 'invalid_request', 'payX402 needs an idempotency key.', {
        field: 'idempotency_key',
      });
    }
    return this.call({
      method: 'POST',
      path: '/v1/x402/pay',
      body: { ...input },
      headers: { 'idempotency-key': options.idempotencyKey },
    });
  }

  /**
   * Asks Purser to pay an MPP 402 (`WWW-Authenticate: Payment`, the `evm` charge method)
   * from the agent's Purser-held wallet (`POST /v1/mpp/pay`, docs/mpp.md). As `payX402`:
   * `signed` with the `authorization` header value to send, or `awaiting_approval` (202);
   * the key is required and reused on every call for the same payment.
   */
  payMpp(input: MppPayInput, options: { idempotencyKey: string }): Promise<MppPaymentView> {
    return this.payWith('/v1/mpp/pay', input, options.idempotencyKey);
  }

  /** Read an MPP payment back. */
  getMppPayment(id: string): Promise<MppPaymentView> {
    return this.call({ method: 'GET', path: `/v1/mpp/payments/${encodeURIComponent(id)}` });
  }

  /**
   * Asks Purser to pay whatever 402 the agent received (`POST /v1/pay`): `payment_required`
   * for x402, `www_authenticate` for MPP. The answer is the payment, its `object` says which.
   */
  pay(input: PayInput, options: { idempotencyKey: string }): Promise<AnyPaymentView> {
    return this.payWith('/v1/pay', input, options.idempotencyKey);
  }

  private payWith<T>(path: string, input: object, idempotencyKey: string): Promise<T> {
    if (!idempotencyKey) {
      throw new PurserApiError(400, 'invalid_request', 'A payment needs an idempotency key.', {
        field: 'idempotency_key',
      });
    }
    return this.call({
      method: 'POST',
      path,
      body: { ...input },
      headers: { 'idempotency-key': idempotencyKey },
    });
  }

  /** Read an x402 payment back: reserved, signed, settled on chain, released or declined. */
  getX402Payment(id: string): Promise<X402PaymentView> {
    return this.call({ method: 'GET', path: `/v1/x402/payments/${encodeURIComponent(id)}` });
  }

  /**
   * Pays a recipient (a saved `rcp_…` or an address) in USDC on chain from the agent's
   * Purser-held wallet (`POST /v1/crypto/payout-intents`, docs/payouts.md). The answer is
   * the payout intent: `approved` (Purser signs and sends it next), `needs_approval` while
   * the owner decides, or `declined`; follow it with `getPayout(id, { wait })` to
   * `completed` (with `tx_signature`) or `failed` (with `failure_reason`). One key per
   * call, kept across retries: a retry never pays twice.
   */
  createPayout(input: PayoutInput): Promise<PayoutIntentView> {
    return this.create<PayoutIntentView>('/v1/crypto/payout-intents', input);
  }

  /** Reads a payout; `wait` (≤ 50 s) holds the call until its status changes. */
  getPayout(id: string, options: { wait?: number } = {}): Promise<PayoutIntentView> {
    return this.call({
      method: 'GET',
      path: `/v1/crypto/payout-intents/${encodeURIComponent(id)}${waitQuery(options.wait)}`,
      waitSeconds: options.wait,
    });
  }

  /** Withdraws a payout not yet signed (waiting for the owner, or approved and unsigned). */
  cancelPayout(id: string): Promise<PayoutIntentView> {
    return this.call({
      method: 'POST',
      path: `/v1/crypto/payout-intents/${encodeURIComponent(id)}/cancel`,
    });
  }

  /** A fresh idempotency key, as this client makes them (one per logical call). */
  newIdempotencyKey(): string {
    return this.newKey();
  }

  /** Test keys only: add test money to the agent's test funding source. */
  faucet(input: { amount_cents?: number } = {}): Promise<Record<string, unknown>> {
    return this.call({ method: 'POST', path: '/v1/sandbox/faucet', body: input });
  }

  /** A creating call: one idempotency key for the logical call, kept across retries. */
  private create<T>(path: string, input: { idempotency_key?: string }): Promise<T> {
    const body = { ...input, idempotency_key: input.idempotency_key ?? this.newKey() };
    return this.call({ method: 'POST', path, body });
  }

  private async call<T>(call: Call): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.attempt<T>(call);
      } catch (error) {
        const failure = asApiError(error);
        if (!failure.retryable || attempt >= this.retries) throw failure;
        await this.sleep(this.delay(attempt, failure));
      }
    }
  }

  /** Full jitter: a random wait up to the doubling ceiling; at least what Retry-After asks. */
  private delay(attempt: number, failure: PurserApiError): number {
    const ceiling = Math.min(10_000, this.backoffMs * 2 ** attempt);
    const jittered = Math.floor(this.random() * ceiling);
    const retryAfter = failure.details.retry_after_seconds;
    return typeof retryAfter === 'number' ? Math.max(jittered, retryAfter * 1000) : jittered;
  }

  private async attempt<T>(call: Call): Promise<T> {
    const controller = new AbortController();
    const limit = this.timeoutMs + (call.waitSeconds ?? 0) * 1000;
    const timer = setTimeout(() => controller.abort(), limit);
    let response: TransportResponse;
    try {
      response = await this.transport(`${this.url}${call.path}`, {
        method: call.method,
        headers: {
          ...call.headers,
          authorization: `Bearer ${this.key}`,
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: controller.signal,
      });
    } catch (error) {
      clearTimeout(timer);
      throw controller.signal.aborted
        ? new PurserApiError(0, 'timeout', `Purser did not answer within ${limit} ms`)
        : new PurserApiError(
            0,
            'network_error',
            `Cannot reach Purser at ${this.url}: ${String(error)}`,
          );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new PurserApiError(0, 'network_error', `The answer was cut off: ${String(error)}`);
    } finally {
      clearTimeout(timer);
    }
    const payload = parse(text);
    if (response.ok) return payload as T;
    const envelope = payload as Partial<ErrorEnvelope> | undefined;
    const details = { ...(envelope?.error?.details ?? {}) };
    const retryAfter = Number(response.headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) details.retry_after_seconds = retryAfter;
    throw new PurserApiError(
      response.status,
      envelope?.error?.code ?? (response.status >= 500 ? 'internal_error' : 'invalid_request'),
      envelope?.error?.message ?? `HTTP ${response.status}`,
      details,
    );
  }
}
