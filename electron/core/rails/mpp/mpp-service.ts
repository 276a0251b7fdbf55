import { agentOf } from '../../agents/agent-of';
import { openAccount } from '../../chain/account-keys';
import type { TxContext } from '../../db/committer';
import { invalidRequest, invalidTransition, notFound } from '../../errors';
import { newId } from '../../ids';
import type { KeyAuth } from '../../keys/key-repository';
import { enforceRateLimit } from '../../keys/rate-limit-policy';
import { matchIn } from '../../policy/merchants';
import { MerchantName } from '../../policy/merchant-key';
import type { SpendService } from '../../spend/spend-service';
import type { X402Parts } from '../x402/x402-parts';
import type { X402Payment } from '../x402/x402-payment-repository';
import {
  declinedPayment,
  PAYMENT_STATUS_OF,
  replayPayment,
  SingleFlight,
  type PayOutcome,
} from '../payment-outcome';
import type { X402ServiceDeps } from '../x402/x402-service';
import { screenChallenges } from './mpp-challenges';
import { signReservedChallenge } from './mpp-signer';

export interface MppPayInput {
  resourceUrl: string;
  /** The 402 answer's `WWW-Authenticate` value: one or more `Payment` challenges. */
  wwwAuthenticate: string;
  /** The id of the challenge to pay; by default the first Purser can pay. */
  challengeId?: string;
  reason?: string;
  category?: string;
}

/**
 * MPP (docs/mpp.md): Purser pays a `WWW-Authenticate: Payment` challenge of the `evm`
 * `charge` method from the agent's Purser-held wallet, with mppx making the credential. The
 * same reservation, idempotency and release rules as x402 (x402-service.ts): the policy
 * judges exactly the challenge that will be signed, the reservation is written before
 * signing, the credential is stored with the idempotency key, and the chain alone settles
 * it (the EIP-3009 nonce is the challenge's hash) or releases it once it has expired unused.
 * Its payments live beside x402's, marked `mpp`, so that the same reconciler and release
 * follow them.
 */
export class MppService {
  private readonly signing = new SingleFlight<X402Payment>();

  constructor(
    private readonly d: X402ServiceDeps,
    private readonly c: X402Parts,
    private readonly spend: SpendService,
  ) {}

  async pay(auth: KeyAuth, input: MppPayInput, idemKey: string | undefined): Promise<PayOutcome> {
    if (idemKey === undefined) {
      throw invalidRequest(
        'An MPP payment needs an idempotency key (the Idempotency-Key header): a retry with the same key returns the same credential.',
        { field: 'idempotency_key' },
      );
    }
    const url = parseUrl(input.resourceUrl);
    if (!/\bPayment\s/i.test(input.wwwAuthenticate)) {
      throw invalidRequest('www_authenticate holds no Payment challenge.', {
        field: 'www_authenticate',
      });
    }
    const outcome = await this.d.committer.run((tx) => this.reserve(tx, auth, input, url, idemKey));
    if (outcome.kind === 'declined' || outcome.payment.status !== 'reserved') return outcome;
    const payment = await this.signing.run(outcome.payment.id, () => this.sign(outcome.payment));
    return { ...outcome, payment };
  }

  get(auth: KeyAuth, id: string): X402Payment {
    const payment = this.c.payments.get(id);
    if (!payment || payment.agentId !== auth.agentId || payment.protocol !== 'mpp')
      throw notFound('MPP payment', id);
    return payment;
  }

  private reserve(
    tx: TxContext,
    auth: KeyAuth,
    input: MppPayInput,
    url: URL,
    idemKey: string,
  ): PayOutcome {
    const { d, c } = this;
    const now = d.clock.now();
    const agent = agentOf(d.agents, auth);
    const policy = d.policies.current(agent);
    const normalized = {
      resource_url: url.href,
      www_authenticate: input.wwwAuthenticate,
      challenge_id: input.challengeId ?? null,
      reason: input.reason ?? null,
      category: input.category ?? null,
    };
    const hit = d.idempotency.lookup(agent.id, idemKey, 'mpp', normalized);
    if (hit.objectId !== undefined) {
      return replayPayment(d, c, hit.objectId, now);
    }
    enforceRateLimit(d, auth, now);

    const wallet = c.accounts.ofAgent(agent.id);
    if (!wallet) {
      throw invalidTransition(
        `${agent.name} has no Purser-held wallet; the owner creates one with \`purser chain wallet ${agent.id}\`.`,
        { agent_id: agent.id },
      );
    }
    let screened: ReturnType<typeof screenChallenges>;
    try {
      screened = screenChallenges(
        input.wwwAuthenticate,
        c.chains.list(),
        (payTo) => matchIn(policy.denyList, new MerchantName(payTo)) !== undefined,
        Math.floor(now / 1000),
      );
    } catch {
      throw invalidRequest('www_authenticate is not a Payment challenge mppx can read.', {
        field: 'www_authenticate',
      });
    }
    // The challenge is the server's word for what is paid: it must be for the host the
    // agent says it pays (mppx's realm defaults to the resource's host name).
    const forHost = screened.usable.filter((j) => j.challenge.realm === url.hostname);
    const chosen =
      input.challengeId === undefined
        ? forHost[0]
        : forHost.find((j) => j.challenge.id === input.challengeId);
    const merchant = url.hostname;
    if (!chosen) {
      const reasons = [
        ...screened.refused.map((r) => r.reason),
        ...screened.usable
          .filter((j) => j.challenge.realm !== url.hostname)
          .map(
            (j) =>
              `challenge ${j.challenge.id} is for realm "${j.challenge.realm}", not ${url.hostname}`,
          ),
      ];
      return declinedPayment(d, auth, agent, merchant, url, input.reason, {
        reason: `No challenge of this 402 answer can be paid: ${reasons.join('; ') || 'it offers none'}.`,
        rule: 'mpp_challenge',
        refused: screened.refused,
        rail: 'mpp',
        now,
      });
    }
    if (c.payments.byNonceOf(chosen.nonce)) {
      throw invalidTransition(
        `Challenge ${chosen.challenge.id} was already paid through Purser: retry with the idempotency key of that payment, or ask the server for a new challenge.`,
        { challenge_id: chosen.challenge.id },
      );
    }

    const id = newId('x402Payment');
    const mpp = {
      payment_id: id,
      resource_url: url.href,
      challenge_id: chosen.challenge.id,
      network: chosen.network,
      asset: chosen.chain.usdc.address,
      pay_to: chosen.recipient,
      amount_units: chosen.units.toString(),
      decimals: chosen.chain.usdc.decimals,
    };
    const result = this.spend.decideAndRecord(tx, auth, agent, policy, {
      amount: chosen.micros,
      merchant,
      reason: input.reason ?? `MPP payment for ${url.href}`,
      category: input.category ?? null,
      metadata: { mpp },
      rail: 'mpp',
      ledgerData: { mpp },
      now,
      remember: () => d.idempotency.remember(agent.id, idemKey, 'mpp', hit.bodyHash, id, now),
    });
    if (result.kind === 'refused') return { kind: 'declined', refusal: result.refusal };
    const record = result.record;
    c.payments.insert({
      id,
      protocol: 'mpp',
      agentId: agent.id,
      spendRequestId: record.id,
      chain: chosen.chain.id,
      network: chosen.network,
      asset: chosen.chain.usdc.address,
      payTo: chosen.recipient,
      payer: wallet.address,
      units: chosen.units,
      micros: chosen.micros,
      resourceUrl: url.href,
      x402Version: 0,
      paymentRequired: { wwwAuthenticate: input.wwwAuthenticate } as never,
      requirement: chosen.challenge as never,
      status: PAYMENT_STATUS_OF[record.status],
      createdAt: now,
    });
    // The nonce and the deadline are the challenge's: known before signing, stored now.
    c.payments.reserveNonce(id, chosen.nonce, chosen.validBefore);
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
    const credential = await signReservedChallenge(
      account,
      payment as X402Payment & { nonce: `0x${string}`; validBefore: number },
      chain,
    );
    return d.committer.run(() => {
      const now = d.clock.now();
      const nonce = payment.nonce as string;
      if (c.payments.sign(payment.id, nonce, payment.validBefore as number, credential, now)) {
        d.ledger.append(
          {
            type: 'mpp.signed',
            actor: 'system',
            mode: d.agents.get(payment.agentId)?.mode ?? null,
            agentId: payment.agentId,
            objectId: payment.id,
            amount: payment.micros,
            status: 'signed',
            merchant: new URL(payment.resourceUrl).hostname,
            rail: 'mpp',
            data: {
              spend_request_id: payment.spendRequestId,
              nonce,
              valid_before: payment.validBefore,
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

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidRequest('resource_url must be an absolute http(s) URL.', {
      field: 'resource_url',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidRequest('resource_url must be an absolute http(s) URL.', {
      field: 'resource_url',
    });
  return url;
}
