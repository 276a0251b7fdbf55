/** The client's options, what its calls take and what they answer: types only. */
import type { z } from 'zod';
import type { Transport } from './transport';
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
  /**
   * With an `https:` url: the SHA-256 fingerprint of the agent listener's certificate, as
   * `purser serve` prints it (env PURSER_TLS_FINGERPRINT for the CLI and `purser mcp`).
   */
  tlsFingerprint?: string;
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
export type BudgetRequestResult = z.infer<typeof agentBudgetRequestView>;
export type BudgetRequestList = z.infer<typeof budgetRequestList>;
/** `POST /v1/x402/pay` without its key: the key goes in `options.idempotencyKey`. */
export type X402PayInput = Omit<X402PayBody, 'idempotency_key'>;
