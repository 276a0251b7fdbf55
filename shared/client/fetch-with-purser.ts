/** `fetchWithPurser`: fetch, with the 402 → pay → retry dance (x402 or MPP) done by Purser. */
import { PurserApiError, PurserPaymentPendingError } from './errors.js';
import { parse } from './http.js';
import type { PurserClient } from './purser-client.js';
import type { AnyPaymentView, PayInput } from './types.js';

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
  onPending?: (payment: AnyPaymentView, idempotencyKey: string) => void;
  /** Told once when the payment is signed, before the paid request is sent. */
  onPayment?: (payment: AnyPaymentView, idempotencyKey: string) => void;
}

/**
 * fetch, with x402 and MPP payments made by Purser from the agent's Purser-held wallet
 * (docs/chain.md, docs/mpp.md). It sends the request; if the answer is a 402 Purser can pay
 * (x402: a PAYMENT-REQUIRED header, or for x402 v1 the JSON body; MPP: a `WWW-Authenticate:
 * Payment` challenge), it asks Purser to pay (`pay`), waits for the owner if the payment
 * needs approval (`waitForDecision`, then `pay` again with the same key), and sends the
 * request once more with the payment's header. Returns that answer.
 *
 * - One payment per call, never a loop: one idempotency key for the whole call (every
 *   payX402 and each of the client's retries of it), so Purser signs at most once; the paid
 *   request is sent once, and whatever it answers (even another 402) is returned.
 * - The request goes out at most twice: unpaid, then (only if Purser paid) with the payment
 *   header. That second send is x402 itself: the server does the work on the paid attempt
 *   and refuses the first with 402. So a POST body does reach the server twice, the first
 *   time refused; it is held (teed) so a stream can be sent again. The resource is never
 *   retried otherwise: its network errors and 5xx come back as they are.
 * - A 402 that is neither (no such header, no x402 body) is returned untouched, unpaid.
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
  const offer = await offerOf(first);
  if (offer === undefined) return first;
  await first.body?.cancel().catch(() => undefined);

  request.signal.throwIfAborted();
  const key = options.idempotencyKey ?? client.newIdempotencyKey();
  const body: PayInput = {
    resource_url: first.url || request.url,
    ...offer,
    ...(options.requirement === undefined ? {} : { requirement: options.requirement }),
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    ...(options.category === undefined ? {} : { category: options.category }),
  };
  let payment = await client.pay(body, { idempotencyKey: key });
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
    payment = await client.pay(body, { idempotencyKey: key });
    if (payment.status === 'awaiting_approval') throw new PurserPaymentPendingError(payment, key);
  }
  const header = headerOf(payment);
  if (header === undefined) {
    throw new PurserApiError(
      409,
      'invalid_request',
      `The payment ${payment.id} is ${payment.status} and has no signature to send; a new payment needs a new idempotency key.`,
      { payment_id: payment.id, status: payment.status },
    );
  }
  options.onPayment?.(payment, key);
  const headers = new Headers(request.headers);
  headers.set(header[0], header[1]);
  return send(new Request(request, { headers }));
}

/** The header that carries a signed payment: x402's PAYMENT-SIGNATURE (or X-PAYMENT), MPP's Authorization. */
function headerOf(payment: AnyPaymentView): [string, string] | undefined {
  if (payment.object === 'mpp_payment')
    return payment.authorization === null ? undefined : ['authorization', payment.authorization];
  return payment.payment_signature === null
    ? undefined
    : [payment.payment_header_name, payment.payment_signature];
}

/**
 * What a 402 asks to be paid: MPP `Payment` challenges, else an x402 answer, else nothing.
 * A server that offers both (mppx answers with x402's PAYMENT-REQUIRED beside its own
 * challenge) is paid by MPP, its own protocol.
 */
async function offerOf(
  response: Response,
): Promise<Pick<PayInput, 'payment_required' | 'www_authenticate'> | undefined> {
  const challenges = response.headers.get('www-authenticate');
  if (challenges && /(^|,)\s*Payment\s/i.test(challenges)) return { www_authenticate: challenges };
  const paymentRequired = await paymentRequiredOf(response);
  if (paymentRequired !== undefined) return { payment_required: paymentRequired };
  return undefined;
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
