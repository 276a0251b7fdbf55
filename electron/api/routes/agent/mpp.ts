import { z } from 'zod';
import {
  anyPaymentView,
  mppPayBody,
  mppPaymentView,
  payBody,
  type MppPaymentView,
} from '../../../../shared/schemas/mpp';
import { toIso } from '../../../core/clock';
import { PurserError } from '../../../core/errors';
import type { X402Payment } from '../../../core/rails/x402/x402-payment-repository';
import type { SpendRecord } from '../../../core/spend/spend-repository';
import { agentRoute } from '../../agent-route';
import type { RouteContext, ZodApp } from '../../context';
import { answerPayment, x402View } from './x402';

const idParams = z.strictObject({ id: z.string().max(64) });

export function mppView(p: X402Payment, spend: SpendRecord): MppPaymentView {
  return {
    object: 'mpp_payment',
    id: p.id,
    status: p.status,
    spend_request_id: p.spendRequestId,
    decision: spend.status,
    decision_reason: spend.decisionReason,
    resource_url: p.resourceUrl,
    host: new URL(p.resourceUrl).hostname,
    challenge_id: String((p.requirement as unknown as { id: string }).id),
    network: p.network,
    asset: p.asset,
    recipient: p.payTo,
    payer: p.payer,
    amount_units: p.units.toString(),
    amount_micros: Number(p.micros),
    // Only a live credential is handed out; a released one could never settle anyway.
    authorization: p.status === 'signed' || p.status === 'settled' ? p.header : null,
    nonce: p.nonce,
    valid_before: p.validBefore === null ? null : toIso(p.validBefore * 1000),
    tx_hash: p.txHash,
    created_at: toIso(p.createdAt),
  };
}

/**
 * `POST /v1/mpp/pay` (docs/mpp.md): 200 with the `Authorization: Payment …` credential when
 * approved; 202 while the owner decides (wait on the spend request, then call again with the
 * same key); 402 `policy_declined` otherwise. And reading a payment back.
 */
export function mppRoutes(app: ZodApp, { wallet }: RouteContext): void {
  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: ['/v1/mpp/pay'],
      scope: 'spend.write',
      summary: 'Have Purser judge and sign an MPP payment from the agent’s Purser-held wallet',
      schemas: { body: mppPayBody, response: mppPaymentView, accepted: mppPaymentView },
      idempotent: true,
    },
    async ({ auth, body, key, reply, replayed }) => {
      const outcome = await wallet.chain.mpp.pay(
        auth,
        {
          resourceUrl: body.resource_url,
          wwwAuthenticate: body.www_authenticate,
          ...(body.challenge_id === undefined ? {} : { challengeId: body.challenge_id }),
          ...(body.reason === undefined ? {} : { reason: body.reason }),
          ...(body.category === undefined ? {} : { category: body.category }),
        },
        key,
      );
      return answerPayment(outcome, reply, replayed, mppView);
    },
  );

  agentRoute(
    app,
    wallet,
    {
      method: 'GET',
      urls: ['/v1/mpp/payments/:id'],
      scope: 'spend.read',
      summary: 'Read an MPP payment: reserved, signed, settled on chain or released',
      schemas: { params: idParams, response: mppPaymentView },
    },
    ({ auth, params }) => {
      const payment = wallet.chain.mpp.get(auth, params.id);
      return mppView(payment, wallet.spend.record(payment.spendRequestId));
    },
  );
}

/**
 * `POST /v1/pay`: one entry for every 402 (docs/mpp.md). The body names what the agent
 * received, and Purser picks the protocol: `payment_required` is x402, `www_authenticate`
 * MPP. The answer, the status codes and the idempotency are those of /v1/x402/pay and
 * /v1/mpp/pay, and a key used on one is the same payment on the other.
 */
export function payRoute(app: ZodApp, { wallet }: RouteContext): void {
  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: ['/v1/pay'],
      scope: 'spend.write',
      summary: 'Have Purser pay whatever 402 the agent received (x402 or MPP)',
      schemas: { body: payBody, response: anyPaymentView, accepted: anyPaymentView },
      idempotent: true,
    },
    async ({ auth, body, key, reply, replayed }) => {
      const isX402 = body.payment_required !== undefined;
      if (isX402 === (body.www_authenticate !== undefined)) {
        throw new PurserError(
          'invalid_request',
          'Give the 402 answer as payment_required (x402: its PAYMENT-REQUIRED header, or its v1 body) or as www_authenticate (MPP: its WWW-Authenticate header): exactly one.',
          { field: isX402 ? 'www_authenticate' : 'payment_required' },
        );
      }
      const extra = {
        ...(body.reason === undefined ? {} : { reason: body.reason }),
        ...(body.category === undefined ? {} : { category: body.category }),
      };
      const outcome = isX402
        ? await wallet.chain.x402.pay(
            auth,
            {
              resourceUrl: body.resource_url,
              paymentRequired: body.payment_required as string | Record<string, unknown>,
              ...(body.requirement === undefined ? {} : { requirement: body.requirement }),
              ...extra,
            },
            key,
          )
        : await wallet.chain.mpp.pay(
            auth,
            {
              resourceUrl: body.resource_url,
              wwwAuthenticate: body.www_authenticate as string,
              ...(body.challenge_id === undefined ? {} : { challengeId: body.challenge_id }),
              ...extra,
            },
            key,
          );
      return answerPayment(outcome, reply, replayed, (payment, spend) =>
        payment.protocol === 'mpp' ? mppView(payment, spend) : x402View(payment, spend),
      );
    },
  );
}
