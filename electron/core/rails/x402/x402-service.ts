import { decodePaymentRequiredHeader } from '@x402/core/http';
import { parsePaymentRequired } from '@x402/core/schemas';
import type { PaymentRequired, PaymentRequirements } from '@x402/core/types';
import { deepEqual } from '@x402/core/utils';
import { agentOf } from '../../agents/agent-of';
import type { TxContext } from '../../db/committer';
import { invalidRequest, invalidTransition, notFound } from '../../errors';
import { newId } from '../../ids';
import type { KeyAuth } from '../../keys/key-repository';
import { enforceRateLimit } from '../../keys/rate-limit-policy';
import { matchIn } from '../../policy/merchants';
import { MerchantName } from '../../policy/merchant-key';
import type { SpendService } from '../../spend/spend-service';
import type { WalletDeps } from '../../wallet-deps';
import type { X402Parts } from './x402-parts';
import { openAccount } from '../../chain/account-keys';
import { screenRequirements, type Judged } from './x402-requirements';
import { signReserved } from './x402-signer';
import { ensurePermit2Allowance, isUpto } from './x402-upto';
import type { X402Payment } from './x402-payment-repository';
import {
  declinedPayment,
  PAYMENT_STATUS_OF,
  replayPayment,
  SingleFlight,
  type PayOutcome,
} from '../payment-outcome';

export type { PayOutcome } from '../payment-outcome';

/** What this part of the chain service uses of the wallet: no more. */
export type X402ServiceDeps = Pick<
  WalletDeps,
  | 'agents'
  | 'clock'
  | 'committer'
  | 'idempotency'
  | 'ledger'
  | 'policies'
  | 'rateLimiter'
  | 'spends'
>;

export interface PayInput {
  resourceUrl: string;
  /** The PAYMENT-REQUIRED header value, or the 402 body (v1, or v2 as JSON). */
  paymentRequired: string | Record<string, unknown>;
  /** The requirement the agent chose; by default the first one Purser can sign. */
  requirement?: Record<string, unknown>;
  reason?: string;
  category?: string;
}

/** An unsigned, approved reservation is released if no one comes back to sign it in this time. */
export const SIGN_WITHIN_MS = 15 * 60_000;

/**
 * `POST /v1/x402/pay` (docs/chain.md): the policy judges exactly the requirement that will
 * be signed; the reservation is written (and counted) before anything is signed; the
 * signature is stored with the idempotency key before it leaves, so a retry gets the
 * same one and an authorization can only ever be used once on chain.
 */
export class X402Service {
  /** One signing per payment, however many retries race (the UPDATE is guarded too). */
  private readonly signing = new SingleFlight<X402Payment>();

  constructor(
    private readonly d: X402ServiceDeps,
    private readonly c: X402Parts,
    private readonly spend: SpendService,
  ) {}

  async pay(auth: KeyAuth, input: PayInput, idemKey: string | undefined): Promise<PayOutcome> {
    if (idemKey === undefined) {
      throw invalidRequest(
        'An x402 payment needs an idempotency key (the Idempotency-Key header): a retry with the same key returns the same signature.',
        { field: 'idempotency_key' },
      );
    }
    const paymentRequired = decode(input.paymentRequired);
    const url = parseResourceUrl(input.resourceUrl, paymentRequired);
    const outcome = await this.d.committer.run((tx) =>
      this.reserve(tx, auth, input, paymentRequired, url, idemKey),
    );
    if (outcome.kind === 'declined' || outcome.payment.status !== 'reserved') return outcome;
    const payment = await this.signing.run(outcome.payment.id, () => this.sign(outcome.payment));
    return { ...outcome, payment };
  }

  /** The payment a spend request pays, if it is an x402 one (the owner's views). */
  paymentOfSpend(spendRequestId: string): X402Payment | undefined {
    return this.c.payments.ofSpendRequest(spendRequestId);
  }

  /** Whether this agent's wallet has paid `payTo` before (shown in the approval prompt). */
  paidBefore(agentId: string, payTo: string, exceptId: string): boolean {
    return this.c.payments.paidBefore(agentId, payTo, exceptId);
  }

  /** One agent's payment, for reading back. */
  get(auth: KeyAuth, id: string): X402Payment {
    const payment = this.c.payments.get(id);
    if (!payment || payment.agentId !== auth.agentId || payment.protocol !== 'x402')
      throw notFound('x402 payment', id);
    return payment;
  }

  private reserve(
    tx: TxContext,
    auth: KeyAuth,
    input: PayInput,
    paymentRequired: PaymentRequired,
    url: URL,
    idemKey: string,
  ): PayOutcome {
    const { d, c } = this;
    const now = d.clock.now();
    const agent = agentOf(d.agents, auth);
    const policy = d.policies.current(agent);
    const normalized = {
      resource_url: url.href,
      payment_required: paymentRequired,
      requirement: input.requirement ?? null,
      reason: input.reason ?? null,
      category: input.category ?? null,
    };
    const hit = d.idempotency.lookup(agent.id, idemKey, 'x402', normalized);
    if (hit.objectId !== undefined) return replayPayment(d, c, hit.objectId, now);
    enforceRateLimit(d, auth, now);

    const wallet = c.accounts.ofAgent(agent.id);
    if (!wallet) {
      throw invalidTransition(
        `${agent.name} has no Purser-held wallet; the owner creates one with \`purser chain wallet ${agent.id}\`.`,
        { agent_id: agent.id },
      );
    }
    const screened = screenRequirements(
      paymentRequired,
      c.chains.list(),
      (payTo) => matchIn(policy.denyList, new MerchantName(payTo)) !== undefined,
    );
    const chosen = choose(screened.usable, input.requirement, paymentRequired.accepts);
    const merchant = url.hostname;
    if (chosen?.scheme === 'upto' && !c.accounts.owner()?.canSign) {
      return declinedPayment(d, auth, agent, merchant, url, input.reason, {
        reason:
          'An x402 upto payment needs the owner’s account to send the Permit2 approval (it pays the gas); there is none that can sign.',
        rule: 'x402_requirement',
        refused: [],
        rail: 'x402',
        now,
      });
    }
    if (!chosen) {
      const reasons = screened.refused.map((r) => r.reason);
      const reason = input.requirement
        ? `The chosen requirement cannot be paid: ${screened.refused.find((r) => deepEqual(paymentRequired.accepts[r.index], input.requirement))?.reason ?? 'it is not one of the 402 answer’s requirements'}.`
        : `No requirement of this 402 answer can be paid: ${reasons.join('; ') || 'it offers none'}.`;
      return declinedPayment(d, auth, agent, merchant, url, input.reason, {
        reason,
        rule: 'x402_requirement',
        refused: screened.refused,
        rail: 'x402',
        now,
      });
    }

    const id = newId('x402Payment');
    const x402 = {
      payment_id: id,
      resource_url: url.href,
      network: chosen.network,
      asset: chosen.chain.usdc.address,
      pay_to: chosen.payTo,
      amount_units: chosen.units.toString(),
      decimals: chosen.chain.usdc.decimals,
      scheme: chosen.scheme,
    };
    const result = this.spend.decideAndRecord(tx, auth, agent, policy, {
      amount: chosen.micros,
      merchant,
      reason: input.reason ?? `x402 payment for ${url.href}`,
      category: input.category ?? null,
      metadata: { x402 },
      rail: 'x402',
      ledgerData: { x402 },
      now,
      remember: () => d.idempotency.remember(agent.id, idemKey, 'x402', hit.bodyHash, id, now),
    });
    if (result.kind === 'refused') return { kind: 'declined', refusal: result.refusal };
    const record = result.record;
    c.payments.insert({
      id,
      protocol: 'x402',
      agentId: agent.id,
      spendRequestId: record.id,
      chain: chosen.chain.id,
      network: chosen.network,
      asset: chosen.chain.usdc.address,
      payTo: chosen.payTo,
      payer: wallet.address,
      units: chosen.units,
      micros: chosen.micros,
      resourceUrl: url.href,
      x402Version: paymentRequired.x402Version,
      paymentRequired,
      requirement: chosen.requirement,
      status: PAYMENT_STATUS_OF[record.status],
      createdAt: now,
    });
    return {
      kind: 'payment',
      payment: c.payments.get(id) as X402Payment,
      spend: record,
      replayed: false,
    };
  }

  private async sign(payment: X402Payment): Promise<X402Payment> {
    const { c, d } = this;
    const chain = c.chains.get(payment.chain);
    if (!chain) throw invalidTransition(`Chain ${payment.chain} is no longer configured.`);
    const account = await openAccount(c.accounts, c.sealer(), payment.payer);
    if (isUpto(payment)) await ensurePermit2Allowance(c, chain, payment, account);
    const signed = await signReserved(account, payment, chain);
    return d.committer.run(() => {
      const now = d.clock.now();
      if (c.payments.sign(payment.id, signed.nonce, signed.validBefore, signed.header, now)) {
        d.ledger.append(
          {
            type: 'x402.signed',
            actor: 'system',
            mode: d.agents.get(payment.agentId)?.mode ?? null,
            agentId: payment.agentId,
            objectId: payment.id,
            amount: payment.micros,
            status: 'signed',
            merchant: new URL(payment.resourceUrl).hostname,
            rail: 'x402',
            data: {
              spend_request_id: payment.spendRequestId,
              nonce: signed.nonce,
              valid_before: signed.validBefore,
              pay_to: payment.payTo,
              network: payment.network,
            },
          },
          now,
        );
      }
      return c.payments.get(payment.id) as X402Payment;
    });
  }
}

function decode(value: string | Record<string, unknown>): PaymentRequired {
  let candidate: unknown = value;
  if (typeof value === 'string') {
    try {
      candidate = decodePaymentRequiredHeader(value.trim());
    } catch {
      throw invalidRequest(
        'payment_required is not a PAYMENT-REQUIRED header value (base64 JSON).',
        {
          field: 'payment_required',
        },
      );
    }
  }
  const parsed = parsePaymentRequired(candidate);
  if (!parsed.success) {
    throw invalidRequest('payment_required is not an x402 payment-required object.', {
      field: 'payment_required',
      issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  return parsed.data as PaymentRequired;
}

/**
 * The resource's host is the merchant. A v2 answer names its resource: it must be the one
 * the agent says it is paying for, or an agent could borrow an allowed host's name.
 */
function parseResourceUrl(text: string, paymentRequired: PaymentRequired): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidRequest('resource_url must be an absolute http(s) URL.', {
      field: 'resource_url',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidRequest('resource_url must be an absolute http(s) URL.', {
      field: 'resource_url',
    });
  }
  const declared = (paymentRequired as { resource?: { url?: string } }).resource?.url;
  if (declared !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(declared).host;
    } catch {
      host = undefined;
    }
    if (host !== url.host) {
      throw invalidRequest(
        `The 402 answer is for ${JSON.stringify(declared)}, not for resource_url's host ${url.host}.`,
        { field: 'resource_url' },
      );
    }
  }
  return url;
}

function choose(
  usable: Judged[],
  wanted: Record<string, unknown> | undefined,
  accepts: readonly PaymentRequirements[],
): Judged | undefined {
  if (wanted === undefined) return usable[0];
  const index = accepts.findIndex((a) => deepEqual(a, wanted));
  return usable.find((u) => u.index === index);
}
