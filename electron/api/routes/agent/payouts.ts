import { z } from 'zod';
import { waitQuery } from '../../../../shared/schemas/common';
import {
  payoutCreateBody,
  payoutIntentView,
  type PayoutIntentView,
} from '../../../../shared/schemas/payouts';
import { microsToCentsFloor } from '../../../../shared/money';
import { toIso } from '../../../core/clock';
import { PurserError } from '../../../core/errors';
import type { PayoutIntent } from '../../../core/rails/payouts/payout-repository';
import type { SpendRecord } from '../../../core/spend/spend-repository';
import { agentRoute } from '../../agent-route';
import { abortOnClose } from '../../idempotency';
import type { RouteContext, ZodApp } from '../../context';

const idParams = z.strictObject({ id: z.string().max(64) });

export function payoutView(p: PayoutIntent, spend: SpendRecord): PayoutIntentView {
  return {
    object: 'payout_intent',
    id: p.id,
    status: p.status,
    spend_request_id: p.spendRequestId,
    decision: spend.status,
    decision_reason: spend.decisionReason,
    pending_reason: p.pendingReason,
    failure_reason: p.failureReason,
    tx_signature: p.txHash,
    recipient_id: p.recipientId,
    address: p.address,
    network: p.network,
    chain: p.chain,
    asset: p.asset,
    payer: p.payer,
    amount_cents: microsToCentsFloor(p.micros),
    amount_units: p.units.toString(),
    reason: p.reason,
    metadata: p.metadata,
    created_at: toIso(p.createdAt),
    updated_at: toIso(p.updatedAt),
  };
}

/**
 * Dino's crypto payout intents (docs/payouts.md): `POST /v1/crypto/payout-intents` decides
 * and reserves (200 approved or declined, a business status the agent reads; 202 while the
 * owner decides); Purser then signs and sends it. `GET …/:id?wait=N` follows it;
 * `…/cancel` withdraws one not yet signed.
 */
export function payoutRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const view = (p: PayoutIntent) =>
    wallet.read(() => payoutView(p, wallet.chain.payouts.spendOf(p)));

  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: ['/v1/crypto/payout-intents'],
      scope: 'spend.write',
      summary: 'Pay a recipient on chain from the agent’s Purser-held wallet, within its policy',
      schemas: { body: payoutCreateBody, response: payoutIntentView, accepted: payoutIntentView },
      idempotent: true,
    },
    async ({ auth, body, key, reply, replayed }) => {
      const outcome = await wallet.chain.payouts.create(
        auth,
        {
          recipient: body.recipient,
          amountCents: body.amount_cents,
          ...(body.network === undefined ? {} : { network: body.network }),
          ...(body.asset === undefined ? {} : { asset: body.asset }),
          reason: body.reason,
          ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
        },
        key,
      );
      if (outcome.kind === 'refused') {
        const { refusal } = outcome;
        throw new PurserError(refusal.code, refusal.reason, {
          ...refusal.details,
          rule: refusal.rule,
        });
      }
      if (outcome.replayed) replayed();
      if (outcome.payout.status === 'needs_approval') reply.code(202);
      return payoutView(outcome.payout, outcome.spend);
    },
  );

  agentRoute(
    app,
    wallet,
    {
      method: 'GET',
      urls: ['/v1/crypto/payout-intents/:id'],
      scope: 'spend.read',
      summary: 'Read a payout intent; ?wait=N holds the call until its status changes',
      schemas: { params: idParams, query: waitQuery, response: payoutIntentView },
    },
    async ({ auth, params, query, reply }) => {
      const wait = query.wait ?? 0;
      const payout = await wallet.chain.payouts.waitFor(
        auth,
        params.id,
        wait,
        abortOnClose(reply, wait),
      );
      return view(payout);
    },
  );

  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: ['/v1/crypto/payout-intents/:id/cancel'],
      scope: 'spend.write',
      summary: 'Withdraw a payout intent that is not yet signed',
      schemas: { params: idParams, response: payoutIntentView },
    },
    async ({ auth, params }) => view(await wallet.chain.payouts.cancel(auth, params.id)),
  );
}
