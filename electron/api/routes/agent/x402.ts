import { z } from 'zod';
import {
  x402PayBody,
  x402PaymentView,
  type X402PaymentView,
} from '../../../../shared/schemas/x402';
import { toIso } from '../../../core/clock';
import { PurserError } from '../../../core/errors';
import type { X402Payment } from '../../../core/rails/x402/x402-payment-repository';
import type { PayOutcome } from '../../../core/rails/x402/x402-service';
import type { FastifyReply } from 'fastify';
import type { SpendRecord } from '../../../core/spend/spend-repository';
import { agentRoute } from '../../agent-route';
import type { RouteContext, ZodApp } from '../../context';

const idParams = z.strictObject({ id: z.string().max(64) });

export function x402View(p: X402Payment, spend: SpendRecord): X402PaymentView {
  return {
    object: 'x402_payment',
    id: p.id,
    status: p.status,
    spend_request_id: p.spendRequestId,
    decision: spend.status,
    decision_reason: spend.decisionReason,
    resource_url: p.resourceUrl,
    host: new URL(p.resourceUrl).hostname,
    network: p.network,
    asset: p.asset,
    pay_to: p.payTo,
    payer: p.payer,
    amount_units: p.units.toString(),
    amount_micros: Number(p.micros),
    scheme: p.requirement.scheme === 'upto' ? 'upto' : 'exact',
    settled_amount_units: p.settledUnits === null ? null : p.settledUnits.toString(),
    payment_header_name: p.x402Version === 1 ? 'X-PAYMENT' : 'PAYMENT-SIGNATURE',
    // Only a live authorization is handed out; a released one could never settle anyway.
    payment_signature: p.status === 'signed' || p.status === 'settled' ? p.header : null,
    nonce: p.nonce,
    valid_before: p.validBefore === null ? null : toIso(p.validBefore * 1000),
    tx_hash: p.txHash,
    created_at: toIso(p.createdAt),
  };
}

/**
 * `POST /v1/x402/pay` for agents whose wallet Purser holds (docs/chain.md), and reading a
 * payment back. 200 with the signature when approved; 202 while the owner decides (wait on
 * the spend request, then call again with the same key); 402 `policy_declined` otherwise.
 */
export function x402Routes(app: ZodApp, { wallet }: RouteContext): void {
  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: ['/v1/x402/pay'],
      scope: 'spend.write',
      summary: 'Have Purser judge and sign an x402 payment from the agent’s Purser-held wallet',
      schemas: { body: x402PayBody, response: x402PaymentView, accepted: x402PaymentView },
      idempotent: true,
    },
    async ({ auth, body, key, reply, replayed }) => {
      const outcome = await wallet.chain.x402.pay(
        auth,
        {
          resourceUrl: body.resource_url,
          paymentRequired: body.payment_required,
          requirement: body.requirement,
          reason: body.reason,
          category: body.category,
        },
        key,
      );
      return answerPayment(outcome, reply, replayed, x402View);
    },
  );

  agentRoute(
    app,
    wallet,
    {
      method: 'GET',
      urls: ['/v1/x402/payments/:id'],
      scope: 'spend.read',
      summary: 'Read an x402 payment: reserved, signed, settled on chain or released',
      schemas: { params: idParams, response: x402PaymentView },
    },
    ({ auth, params }) => {
      const payment = wallet.chain.x402.get(auth, params.id);
      const spend = wallet.spend.record(payment.spendRequestId);
      return x402View(payment, spend);
    },
  );
}

/**
 * A 402 payment's outcome as its routes answer it (/v1/x402/pay, /v1/mpp/pay, /v1/pay): a
 * refusal before the policy, or a payment the policy or the owner declined, is `402
 * policy_declined`; one waiting for the owner is `202`; a signed one `200`, with the header
 * `Idempotent-Replayed` on a retry.
 */
export function answerPayment<V>(
  outcome: PayOutcome,
  reply: FastifyReply,
  replayed: () => void,
  view: (payment: X402Payment, spend: SpendRecord) => V,
): V {
  if (outcome.kind === 'declined') {
    const { refusal } = outcome;
    throw new PurserError('policy_declined', refusal.reason, {
      ...refusal.details,
      decline_code: refusal.code,
      rule: refusal.rule,
    });
  }
  const { payment, spend } = outcome;
  if (outcome.replayed) replayed();
  if (payment.status === 'declined') {
    throw new PurserError('policy_declined', declinedBecause(spend), {
      payment_id: payment.id,
      spend_request_id: spend.id,
      decision: spend.status,
      decision_rule: spend.decisionRule,
    });
  }
  if (payment.status === 'awaiting_approval') reply.code(202);
  return view(payment, spend);
}

/**
 * Who refused a payment, in words that are true: the policy, the owner, the clock or the
 * agent itself (before, every refusal said the owner had not approved).
 */
export function declinedBecause(spend: SpendRecord): string {
  const why = spend.decisionReason;
  if (spend.status === 'expired') return `Nobody approved this payment before it expired: ${why}.`;
  if (spend.status === 'cancelled') return `This payment was cancelled: ${why}.`;
  if (spend.decisionRule === 'owner_declined') return `The owner declined this payment: ${why}.`;
  return `The policy declined this payment: ${why}.`;
}
