/**
 * What the workload asks of the wallet (an Action), and what came of it (an Outcome), in a
 * form the model can predict and the real core's answer can be reduced to. Agents are
 * named by their index in the world; requests, grants and receipts by their real ids.
 */

export type Policy = {
  budget_cents?: number;
  period?: 'daily' | 'weekly' | 'monthly' | 'total';
  window?: 'calendar' | 'rolling';
  over_budget?: 'ask' | 'decline';
  approval_threshold_cents?: number | null;
  max_transaction_cents?: number | null;
  max_pending?: number;
  ask_on_new_merchant?: boolean;
  pause_on_over_budget?: boolean;
  velocity_per_hour?: number | null;
};

export type ReceiptAmount = { cents: number } | { micros: number };

export type Action =
  | { t: 'spend'; agent: number; cents: number; merchant: string }
  | { t: 'cancel'; agent: number; spendId: string; why: string }
  | {
      t: 'receipt';
      agent: number;
      amount: ReceiptAmount;
      merchant: string;
      spendId?: string;
      why: string;
    }
  | { t: 'budgetRequest'; agent: number; cents: number }
  | { t: 'approve'; spendId: string; override: boolean; why: string }
  | { t: 'decline'; spendId: string; why: string }
  | { t: 'declineAll'; agent: number }
  | { t: 'accept' | 'dispute'; receiptId: string; why: string }
  | { t: 'settle'; spendId: string; to: string; why: string }
  | { t: 'grantApprove'; grantId: string; cents?: number; hours?: number }
  | { t: 'grantReject'; grantId: string }
  | { t: 'status'; agent: number; to: 'active' | 'paused' | 'revoked' }
  | { t: 'freeze'; frozen: boolean }
  | { t: 'policy'; agent: number; patch: Policy }
  | { t: 'deposit'; micros: string }
  | { t: 'limits'; fundingLimitCents?: number; capCents?: number }
  | { t: 'advance'; ms: number; why: string }
  // On chain (test/chain/money-model.test.ts).
  | { t: 'x402Pay'; agent: number; idem: string; retry: boolean }
  | { t: 'x402Use'; paymentId: string; why: string }
  | { t: 'chainLapse'; seconds: number }
  | { t: 'sync' }
  | { t: 'fundWallet'; agent: number; cents: number };

export type ActionType = Action['t'];

export type Outcome =
  | { kind: 'error'; code: string; status: number; reason?: string }
  | { kind: 'spend'; status: string; rule: string; grant: string | null; remaining: string }
  | { kind: 'refused'; code: string }
  | { kind: 'approved'; rule: string }
  | { kind: 'closed'; status: string }
  | {
      kind: 'receipt';
      counted: string;
      settles: boolean;
      flags: string[];
      review: { kind: string; micros: string } | null;
      overLimits: string[];
      grant: string | null;
    }
  | { kind: 'reviewed'; status: string }
  | { kind: 'settled'; released: string }
  | { kind: 'grant'; status: string; approved: string | null; expiresAt: number }
  | { kind: 'declinedAll'; declined: number; rejected: boolean }
  | { kind: 'ok' }
  | { kind: 'x402'; payment: string; decision: string; signed: boolean }
  | { kind: 'paid'; status: number }
  | { kind: 'synced'; settled: number; released: number; funded: number };

/** New ids the real core handed out, which the model takes as given (ids are not predicted). */
export interface Minted {
  spendId?: string;
  receiptId?: string;
  grantId?: string;
  paymentId?: string;
}

/** JSON with bigints as strings, for failure reports. */
export function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}
