import type { PayoutStatus } from '../../../../shared/domain';
import { centsToMicros, type Micros } from '../../../../shared/money';
import { agentOf } from '../../agents/agent-of';
import type { Agent } from '../../agents/agent-repository';
import { closePending } from '../../approvals/pending-lifecycle';
import { Waiters } from '../../approvals/waiters';
import type { BudgetService } from '../../budgets/budget-service';
import type { ChainConfig } from '../../chain/chain-config';
import { microsToUnits } from '../../chain/units';
import { networkOf } from '../../chain/chain-config';
import type { TxContext } from '../../db/committer';
import { invalidRequest, invalidTransition, notFound } from '../../errors';
import { newId } from '../../ids';
import type { KeyAuth } from '../../keys/key-repository';
import { enforceRateLimit } from '../../keys/rate-limit-policy';
import type { Payee, Refusal } from '../../policy/decide';
import type { SpendService } from '../../spend/spend-service';
import type { SpendRecord } from '../../spend/spend-repository';
import type { WalletDeps } from '../../wallet-deps';
import { recount, type X402ReleaseDeps } from '../x402/x402-release';
import type { PayoutParts } from './payout-parts';
import type { PayoutIntent } from './payout-repository';
import { PayoutSender } from './payout-sender';
import { lookalikeOf, parseAddress } from './recipients';

export type PayoutServiceDeps = X402ReleaseDeps &
  Pick<WalletDeps, 'idempotency' | 'policies' | 'rateLimiter' | 'settings'>;

/** `POST /v1/crypto/payout-intents`, as the core takes it. */
export interface PayoutInput {
  /** A saved recipient's `rcp_…` id, or an address. */
  recipient: string;
  amountCents: number;
  /** A configured chain's name; the default chain when left out. */
  network?: string;
  /** `usdc` (the chain's configured USDC) or its address. */
  asset?: string;
  reason: string;
  metadata?: Record<string, unknown>;
}

export type PayoutOutcome =
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'payout'; payout: PayoutIntent; spend: SpendRecord; replayed: boolean };

/** Where a new payout starts, by the decision on its spend request. */
const STATUS_OF: Record<SpendRecord['status'], PayoutStatus> = {
  approved: 'approved',
  needs_approval: 'needs_approval',
  declined: 'declined',
  expired: 'expired',
  cancelled: 'cancelled',
};

/** Statuses a payout leaves only by the owner, the agent, the clock or the chain. */
const OPEN: ReadonlySet<PayoutStatus> = new Set([
  'needs_approval',
  'approved',
  'awaiting_signature',
  'submitted',
]);

/** The longest `?wait=` on a payout, as on a spend request (docs/payouts.md). */
export const MAX_WAIT_SECONDS = 50;

/**
 * Payout intents (docs/payouts.md): an agent pays a recipient on chain from its Purser-held
 * wallet. Decided by `decideAndRecord` exactly as a spend request (every limit, the agent's
 * recipient lists, a first payout to an address asks), reserved in the same write, and sent
 * only after that write is on disk, by PayoutSender.
 */
export class PayoutService {
  readonly sender: PayoutSender;
  private readonly waiters = new Waiters();
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly d: PayoutServiceDeps,
    private readonly c: PayoutParts,
    private readonly spend: SpendService,
    private readonly budgets: Pick<BudgetService, 'draw'>,
    sync: (chain: ChainConfig) => Promise<unknown>,
  ) {
    this.sender = new PayoutSender(d, c, budgets, sync, (id) => this.waiters.notify(id));
    // The owner's decision on a payout's request (or its expiry) moves the payout on.
    d.events.on('spend', (record) => {
      const payout = c.payouts.ofSpendRequest(record.id);
      if (payout?.status === 'needs_approval') void this.follow(payout.id);
    });
  }

  async create(auth: KeyAuth, input: PayoutInput, idemKey: string | undefined) {
    // A payout moves money: a retry must find the first one, never make a second.
    if (idemKey === undefined) {
      throw invalidRequest(
        'A payout needs an idempotency key (the Idempotency-Key header): a retry with the same key returns the same payout and never pays twice.',
        { field: 'idempotency_key' },
      );
    }
    const outcome = await this.d.committer.run((tx) => this.decide(tx, auth, input, idemKey));
    if (outcome.kind === 'payout' && outcome.payout.status === 'approved' && !outcome.replayed)
      void this.sender.advance(outcome.payout.id);
    return outcome;
  }

  /** One of the calling agent's payouts; another agent's ids are not found. */
  get(auth: KeyAuth, id: string): PayoutIntent {
    const payout = this.c.payouts.get(id);
    if (!payout || payout.agentId !== auth.agentId) throw notFound('payout intent', id);
    return payout;
  }

  /** Waits up to `seconds` for the payout to leave the status it is in, then reads it. */
  async waitFor(
    auth: KeyAuth,
    id: string,
    seconds: number,
    signal?: AbortSignal,
  ): Promise<PayoutIntent> {
    const first = this.get(auth, id);
    if (seconds <= 0 || !OPEN.has(first.status)) return first;
    await this.waiters.wait(id, Math.min(seconds, MAX_WAIT_SECONDS) * 1000, signal);
    return this.get(auth, id);
  }

  spendOf(payout: PayoutIntent): SpendRecord {
    return this.spend.record(payout.spendRequestId);
  }

  /** Whether this agent has paid the address before (the approval prompt says so). */
  paidBefore(agentId: string, address: string, exceptId: string): boolean {
    return this.c.payouts.paidBefore(agentId, address, exceptId);
  }

  ofSpendRequest(spendRequestId: string): PayoutIntent | undefined {
    return this.c.payouts.ofSpendRequest(spendRequestId);
  }

  /**
   * The agent withdraws a payout: while it waits for the owner, or once approved but before
   * anything is signed (what it counted is given back). Once signed, it ends on chain only.
   */
  cancel(auth: KeyAuth, id: string): Promise<PayoutIntent> {
    return this.d.committer.run((tx) => {
      const { c, d } = this;
      const payout = this.get(auth, id);
      const now = d.clock.now();
      const request = this.spend.record(payout.spendRequestId);
      if (payout.status === 'needs_approval') {
        closePending(
          d,
          tx,
          request,
          {
            status: 'cancelled',
            reason: 'Withdrawn by the agent',
            rule: 'cancelled',
            actor: `key:${auth.keyId}`,
          },
          now,
        );
        c.payouts.move(id, 'needs_approval', 'cancelled', null, now);
      } else if (
        (payout.status === 'approved' || payout.status === 'awaiting_signature') &&
        payout.nonce === null &&
        c.payouts.move(id, payout.status, 'cancelled', null, now)
      ) {
        const agent = d.agents.get(payout.agentId) as Agent;
        const counted = recount(d, this.budgets, tx, agent, payout, -payout.micros, now);
        this.sender.ledger(payout, 'payout.cancelled', 'cancelled', counted, {
          reason: 'Withdrawn by the agent before anything was signed',
          was: payout.status,
        });
      } else {
        throw invalidTransition(
          `Payout ${id} is ${payout.status}${payout.nonce ? ' and signed' : ''}: only a payout not yet signed can be cancelled; a signed one ends on chain.`,
          { id, status: payout.status },
        );
      }
      tx.afterCommit(() => this.waiters.notify(id));
      return c.payouts.get(id) as PayoutIntent;
    });
  }

  /**
   * Moves every payout not at an end as far as it can go: after a restart, after the keys
   * are unlocked, and on every sweep of the chain. One run at a time.
   */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      for (const p of this.c.payouts.open()) {
        if (p.status === 'needs_approval') await this.follow(p.id);
        else await this.sender.advance(p.id);
      }
    })().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** A waiting payout follows its request: approved, it is sent; closed, it ends so. */
  private async follow(id: string): Promise<void> {
    const moved = await this.d.committer.run((tx) => {
      const { c } = this;
      const payout = c.payouts.get(id);
      if (payout?.status !== 'needs_approval') return undefined;
      const request = this.spend.record(payout.spendRequestId);
      if (request.status === 'needs_approval') return undefined;
      const to = STATUS_OF[request.status];
      if (!c.payouts.move(id, 'needs_approval', to, null, this.d.clock.now())) return undefined;
      tx.afterCommit(() => this.waiters.notify(id));
      return to;
    });
    if (moved === 'approved') await this.sender.advance(id);
  }

  private decide(tx: TxContext, auth: KeyAuth, input: PayoutInput, idemKey: string): PayoutOutcome {
    const { c, d } = this;
    const now = d.clock.now();
    const agent = agentOf(d.agents, auth);
    const policy = d.policies.current(agent);
    const normalized = {
      recipient: input.recipient,
      amount_cents: input.amountCents,
      network: input.network ?? null,
      asset: input.asset ?? null,
      reason: input.reason,
      metadata: input.metadata ?? null,
    };
    const hit = d.idempotency.lookup(agent.id, idemKey, 'payout', normalized);
    if (hit.objectId !== undefined) {
      const payout = c.payouts.get(hit.objectId);
      if (!payout) throw new Error(`idempotency key points at missing ${hit.objectId}`);
      return {
        kind: 'payout',
        payout,
        spend: this.spend.record(payout.spendRequestId),
        replayed: true,
      };
    }
    enforceRateLimit(d, auth, now);

    const wallet = c.accounts.ofAgent(agent.id);
    if (!wallet) {
      throw invalidTransition(
        `${agent.name} has no Purser-held wallet; the owner creates one with \`purser chain wallet ${agent.id}\`.`,
        { agent_id: agent.id },
      );
    }
    const { address, recipient } = this.resolveRecipient(input.recipient);
    const chain = this.resolveChain(input.network, recipient?.networks ?? []);
    this.checkAsset(input.asset, chain);
    const micros: Micros = centsToMicros(input.amountCents);
    const saved = c.recipients.list();
    const imitated = recipient ? undefined : lookalikeOf(address, saved);
    const paidBefore = c.payouts.paidBefore(agent.id, address, '');
    const payee: Payee = {
      address,
      label: recipient ? `"${recipient.name}" (${address})` : address,
      // A recipient the owner saved is one they chose; an address only the agent names is
      // new until this agent has paid it once (docs/payouts.md, "The decision").
      isNew: !recipient && !paidBefore,
      lookalikeOf: imitated ? { name: imitated.name, address: imitated.address } : null,
    };
    const id = newId('payoutIntent');
    const payoutData = {
      payout_id: id,
      recipient_id: recipient?.id ?? null,
      recipient_name: recipient?.name ?? null,
      address,
      network: chain.id,
      asset: chain.usdc.address,
      paid_before: paidBefore,
      lookalike_of: payee.lookalikeOf,
    };
    const result = this.spend.decideAndRecord(tx, auth, agent, policy, {
      amount: micros,
      merchant: address,
      reason: input.reason,
      category: null,
      metadata: { ...(input.metadata ?? {}), payout: payoutData },
      rail: 'onchain',
      ledgerData: { payout: payoutData },
      now,
      payee,
      remember: () => d.idempotency.remember(agent.id, idemKey, 'payout', hit.bodyHash, id, now),
    });
    if (result.kind === 'refused') return { kind: 'refused', refusal: result.refusal };
    const record = result.record;
    const status = STATUS_OF[record.status];
    c.payouts.insert({
      id,
      agentId: agent.id,
      spendRequestId: record.id,
      recipientId: recipient?.id ?? null,
      address,
      chain: chain.id,
      network: networkOf(chain),
      asset: chain.usdc.address,
      payer: wallet.address,
      units: microsToUnits(micros, chain.usdc.decimals),
      micros,
      reason: input.reason,
      metadata: input.metadata ?? null,
      status,
      pendingReason: status === 'needs_approval' ? record.decisionReason : null,
      createdAt: now,
    });
    return {
      kind: 'payout',
      payout: c.payouts.get(id) as PayoutIntent,
      spend: record,
      replayed: false,
    };
  }

  private resolveRecipient(text: string) {
    const { c } = this;
    if (text.startsWith('rcp_')) {
      const recipient = c.recipients.get(text);
      if (!recipient || recipient.archivedAt !== null) throw notFound('recipient', text);
      return { address: recipient.address, recipient };
    }
    const address = parseAddress(text, 'recipient');
    return { address, recipient: c.recipients.ofAddress(address) };
  }

  private resolveChain(name: string | undefined, allowed: readonly string[]): ChainConfig {
    const chains = this.c.chains.list();
    const chain =
      name === undefined
        ? chains[0]
        : chains.find((ch) => ch.id === name || networkOf(ch) === name);
    if (!chain) {
      throw invalidRequest(
        name === undefined
          ? 'No chain is configured in Purser yet; the owner configures one first.'
          : `network ${JSON.stringify(name)} is not a configured chain (${chains.map((ch) => ch.id).join(', ') || 'none'}).`,
        { field: 'network' },
      );
    }
    if (allowed.length > 0 && !allowed.includes(chain.id)) {
      throw invalidRequest(`This recipient is saved for ${allowed.join(', ')}, not ${chain.id}.`, {
        field: 'network',
      });
    }
    return chain;
  }

  private checkAsset(asset: string | undefined, chain: ChainConfig): void {
    if (asset === undefined || asset.toLowerCase() === 'usdc') return;
    if (asset.toLowerCase() === chain.usdc.address.toLowerCase()) return;
    throw invalidRequest(
      `asset must be "usdc" (${chain.usdc.address} on ${chain.id}): Purser pays out in USDC only.`,
      { field: 'asset' },
    );
  }
}
