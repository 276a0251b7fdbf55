/** The client's options, what its calls take and what they answer: types only. */
import type { Transport } from './transport.js';
import type {
  BalanceView,
  BudgetRequestCreateBody,
  MppPayBody,
  MppPaymentView,
  PayBody,
  PayoutCreateBody,
  PayoutIntentView,
  BudgetRequestList,
  BudgetRequestResult,
  BudgetRequestView,
  PolicyView,
  ReceiptCreateBody,
  ReceiptResultView,
  ReceiptView,
  SpendCreateBody,
  SpendRequestView,
  X402PayBody,
  X402PaymentView,
} from './wire-types.js';

export type {
  BalanceView,
  PolicyView,
  SpendRequestView,
  BudgetRequestView,
  ReceiptView,
  X402PaymentView,
  MppPaymentView,
  PayoutIntentView,
  BudgetRequestResult,
  BudgetRequestList,
};

export interface PurserClientOptions {
  /** The agent's spending key, `psk_live_…` or `psk_test_…`. */
  key: string;
  /** Where Purser listens; default http://127.0.0.1:8402. */
  url?: string | undefined;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff ceiling in ms (default 250); doubles each retry, capped at 10 s. */
  backoffMs?: number;
  /** Per-attempt timeout in ms (default 30 s; long polls add their wait to it). */
  timeoutMs?: number;
  /**
   * With an `https:` url: the SHA-256 fingerprint of the agent listener's certificate, as
   * `purser serve` prints it (env PURSER_TLS_FINGERPRINT for the CLI and `purser mcp`).
   */
  tlsFingerprint?: string | undefined;
  /**
   * Another transport: the global `fetch` fits. By default the client uses node:http on
   * Node (faster to start, and it reaches `unix:` sockets) and fetch elsewhere.
   */
  fetch?: Transport;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  newIdempotencyKey?: () => string;
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
/** `POST /v1/crypto/payout-intents`: a key is made for the call when none is given. */
export type PayoutInput = Omit<PayoutCreateBody, 'idempotency_key'> & {
  idempotency_key?: string;
};
/** `POST /v1/mpp/pay` without its key: the key goes in `options.idempotencyKey`. */
export type MppPayInput = Omit<MppPayBody, 'idempotency_key'>;
/** `POST /v1/pay` (x402 or MPP) without its key: the key goes in `options.idempotencyKey`. */
export type PayInput = Omit<PayBody, 'idempotency_key'>;
/** A payment Purser signs for a 402: x402 or MPP, told apart by `object`. */
export type AnyPaymentView = X402PaymentView | MppPaymentView;
/** `POST /v1/x402/pay` without its key: the key goes in `options.idempotencyKey`. */
export type X402PayInput = Omit<X402PayBody, 'idempotency_key'>;
