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
import type { z } from 'zod';
import type { ErrorCode, ErrorDetails, ErrorEnvelope } from '../errors';
import type {
  BalanceView,
  PolicyView,
  SpendCreateBody,
  SpendRequestView,
} from '../schemas/agent-api';
import type {
  BudgetRequestCreateBody,
  BudgetRequestView,
  agentBudgetRequestView,
  budgetRequestList,
} from '../schemas/budget-requests';
import type { ReceiptCreateBody, ReceiptResultView, ReceiptView } from '../schemas/receipts';
import type { X402PayBody, X402PaymentView } from '../schemas/x402';

export type {
  BalanceView,
  PolicyView,
  SpendRequestView,
  BudgetRequestView,
  ReceiptView,
  X402PaymentView,
};

export const DEFAULT_URL = 'http://127.0.0.1:8402';
const RETRYABLE_STATUS = new Set([429, 500, 502, 503]);

export interface PurserClientOptions {
  /** The agent's spending key, `psk_live_…` or `psk_test_…`. */
  key: string;
  /** Where Purser listens; default http://127.0.0.1:8402. */
  url?: string;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff ceiling in ms (default 250); doubles each retry, capped at 10 s. */
  backoffMs?: number;
  /** Per-attempt timeout in ms (default 30 s; long polls add their wait to it). */
  timeoutMs?: number;
  /** For tests: another fetch, and a clock to sleep on. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  newIdempotencyKey?: () => string;
}

/** An answer of the API that is an error: its code, message and details, and the status. */
export class PurserApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error' | 'timeout',
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'PurserApiError';
  }

  /** Whether the client would retry this (after its retries ran out, it is thrown). */
  get retryable(): boolean {
    return this.status === 0 || RETRYABLE_STATUS.has(this.status);
  }
}

export type SpendInput = Omit<SpendCreateBody, 'idempotency_key' | 'currency'> & {
  currency?: SpendCreateBody['currency'];
  idempotency_key?: string;
};
export type BudgetInput = Omit<BudgetRequestCreateBody, 'idempotency_key'> & {
  idempotency_key?: string;
};
export type ReceiptInput = Omit<ReceiptCreateBody, 'idempotency_key'> & {
  idempotency_key?: string;
};
export type ReceiptResult = ReceiptResultView;
export type BudgetRequestResult = z.infer<typeof agentBudgetRequestView>;
export type BudgetRequestList = z.infer<typeof budgetRequestList>;
/** `POST /v1/x402/pay` without its key: the key goes in `options.idempotencyKey`. */
export type X402PayInput = Omit<X402PayBody, 'idempotency_key'>;

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

export class PurserClient {
  readonly url: string;
  private readonly key: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly newKey: () => string;

  constructor(options: PurserClientOptions) {
    if (!options.key) throw new Error('PurserClient needs a spending key (psk_…)');
    this.key = options.key;
    this.url = (options.url ?? DEFAULT_URL).replace(/\/+$/, '');
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchFn = options.fetch ?? ((...args) => fetch(...args));
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

  /** Read an x402 payment back: reserved, signed, settled on chain, released or declined. */
  getX402Payment(id: string): Promise<X402PaymentView> {
    return this.call({ method: 'GET', path: `/v1/x402/payments/${encodeURIComponent(id)}` });
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
    let response: Response;
    try {
      response = await this.fetchFn(`${this.url}${call.path}`, {
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

/**
 * Waiting for the owner ended (or was not asked for) while an x402 payment still awaits
 * approval. Nothing is signed yet. To pick it up once the owner decides, make the same
 * request again with this `idempotencyKey` (`fetchWithPurser`'s option, `purser pay
 * --idempotency-key`): the same key finds the same payment, never a second one.
 */
export class PurserPaymentPendingError extends Error {
  constructor(
    readonly payment: X402PaymentView,
    readonly idempotencyKey: string,
  ) {
    super(
      `The payment ${payment.id} waits for the owner's approval (spend request ` +
        `${payment.spend_request_id}); once decided, retry with idempotency key ${idempotencyKey}.`,
    );
    this.name = 'PurserPaymentPendingError';
  }

  get spendRequestId(): string {
    return this.payment.spend_request_id;
  }
}

export interface PurserFetchOptions {
  /**
   * How long to wait for the owner when the payment needs approval, in seconds (default
   * 600). 0 does not wait: a payment that needs approval throws PurserPaymentPendingError.
   */
  waitSeconds?: number;
  /** Why the agent pays, for the owner (default: "x402 payment for URL"). */
  reason?: string;
  category?: string;
  /** The requirement to pay, one of the 402's `accepts`; by default the first Purser can sign. */
  requirement?: Record<string, unknown>;
  /**
   * The idempotency key of this payment. By default one is minted for the call and used for
   * every call to Purser it makes. Give one to resume a payment across calls or processes
   * (after PurserPaymentPendingError, a crash): the same key returns the same payment.
   */
  idempotencyKey?: string;
  /** The fetch that reaches the resource (default: the global fetch). */
  fetch?: (request: Request) => Promise<Response>;
  /** Told once when the payment waits for the owner, before the wait. */
  onPending?: (payment: X402PaymentView, idempotencyKey: string) => void;
  /** Told once when the payment is signed, before the paid request is sent. */
  onPayment?: (payment: X402PaymentView, idempotencyKey: string) => void;
}

/**
 * fetch, with x402 payments made by Purser from the agent's Purser-held wallet
 * (docs/chain.md). It sends the request; if the answer is an x402 402 (a PAYMENT-REQUIRED
 * header, or for x402 v1 the JSON body), it asks Purser to pay (`payX402`), waits for the
 * owner if the payment needs approval (`waitForDecision`, then `payX402` again with the
 * same key), and sends the request once more with the payment header. Returns that answer.
 *
 * - One payment per call, never a loop: one idempotency key for the whole call (every
 *   payX402 and each of the client's retries of it), so Purser signs at most once; the paid
 *   request is sent once, and whatever it answers (even another 402) is returned.
 * - The request goes out at most twice: unpaid, then (only if Purser paid) with the payment
 *   header. That second send is x402 itself: the server does the work on the paid attempt
 *   and refuses the first with 402. So a POST body does reach the server twice, the first
 *   time refused; it is held (teed) so a stream can be sent again. The resource is never
 *   retried otherwise: its network errors and 5xx come back as they are.
 * - A 402 that is not x402 (no header, no x402 body) is returned untouched, unpaid.
 * - Throws PurserApiError `policy_declined` (402) when Purser or the owner refuses, with
 *   `details.decision` (`declined`, `expired`, `cancelled`) when the owner did not approve;
 *   PurserPaymentPendingError when the wait ends undecided; any other PurserApiError of
 *   Purser as the client throws them.
 */
export async function fetchWithPurser(
  client: PurserClient,
  input: string | URL | Request,
  init?: RequestInit,
  options: PurserFetchOptions = {},
): Promise<Response> {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const request = new Request(input, init);
  const first = await send(request.clone());
  if (first.status !== 402) return first;
  const paymentRequired = await paymentRequiredOf(first);
  if (paymentRequired === undefined) return first;
  await first.body?.cancel().catch(() => undefined);

  request.signal.throwIfAborted();
  const key = options.idempotencyKey ?? client.newIdempotencyKey();
  const body: X402PayInput = {
    resource_url: first.url || request.url,
    payment_required: paymentRequired,
    ...(options.requirement === undefined ? {} : { requirement: options.requirement }),
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    ...(options.category === undefined ? {} : { category: options.category }),
  };
  let payment = await client.payX402(body, { idempotencyKey: key });
  if (payment.status === 'awaiting_approval') {
    options.onPending?.(payment, key);
    const waitSeconds = options.waitSeconds ?? 600;
    const decided =
      waitSeconds > 0 &&
      (
        await client.waitForDecision(payment.spend_request_id, {
          timeoutMs: waitSeconds * 1000,
        })
      ).status !== 'needs_approval';
    if (!decided) throw new PurserPaymentPendingError(payment, key);
    request.signal.throwIfAborted();
    // The same body and key: Purser moves the same payment on (signs it, or refuses).
    payment = await client.payX402(body, { idempotencyKey: key });
    if (payment.status === 'awaiting_approval') throw new PurserPaymentPendingError(payment, key);
  }
  if (payment.payment_signature === null) {
    throw new PurserApiError(
      409,
      'invalid_request',
      `The payment ${payment.id} is ${payment.status} and has no signature to send; a new payment needs a new idempotency key.`,
      { payment_id: payment.id, status: payment.status },
    );
  }
  options.onPayment?.(payment, key);
  const headers = new Headers(request.headers);
  headers.set(payment.payment_header_name, payment.payment_signature);
  return send(new Request(request, { headers }));
}

/** What Purser is to pay from a 402: the PAYMENT-REQUIRED header (v2), else an x402 body. */
async function paymentRequiredOf(
  response: Response,
): Promise<string | Record<string, unknown> | undefined> {
  const header = response.headers.get('payment-required');
  if (header) return header;
  let text: string;
  try {
    text = await response.clone().text();
  } catch {
    return undefined;
  }
  const body = parse(text);
  const x402 =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { x402Version?: unknown }).x402Version === 'number' &&
    Array.isArray((body as { accepts?: unknown }).accepts);
  return x402 ? (body as Record<string, unknown>) : undefined;
}

function waitQuery(wait: number | undefined): string {
  return wait === undefined || wait <= 0 ? '' : `?wait=${Math.min(60, Math.floor(wait))}`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asApiError(error: unknown): PurserApiError {
  return error instanceof PurserApiError
    ? error
    : new PurserApiError(
        0,
        'network_error',
        error instanceof Error ? error.message : String(error),
      );
}
