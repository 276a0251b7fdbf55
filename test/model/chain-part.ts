/**
 * The chain test's part of the workload (test/chain/money-model.test.ts): two agents with
 * Purser-held wallets (each then funded by its own `onchain` source, docs/money-
 * integrity.md "On chain") pay the local paywall through wallet.chain.x402.pay; some
 * signatures are taken to the paywall and settle on chain, some are left to lapse while
 * the chain's clock moves past their validBefore, some wait for the owner; syncs bring the
 * chain's word back; receipts naming x402 requests must be 409. After every step the
 * payments are compared with the model, and no payment may be released or settled by any
 * step but a sync: the release only comes from the chain.
 */
import type { Action } from './actions';
import { asAnswer, type Executed } from './execute';
import { ChainModel } from './model-x402';
import { cents, type ModelState } from './model-state';
import type { Prng } from './prng';
import type { ChainPart } from './runner';
import type { World } from './setup';
import { moveChainTime } from './chain-time';
import { walletInternals } from '../../electron/core/wallet-internals';
import { fetchPaid } from '../chain/chain-world';
import { agentCommand } from '../helpers/commands';

export interface ChainSite {
  rpcUrl: string;
  paywallUrl: string;
  /** The paywall's PAYMENT-REQUIRED header, as an agent received it. */
  paymentRequired: string;
  price: bigint;
}

const PAYERS = [
  {
    name: 'payer',
    policy: {
      budget_cents: 300,
      period: 'daily',
      window: 'calendar',
      over_budget: 'ask',
      max_pending: 3,
    },
    fundCents: 1_000,
  },
  {
    name: 'approver',
    policy: {
      budget_cents: 200,
      period: 'weekly',
      window: 'rolling',
      approval_threshold_cents: 20,
      max_pending: 4,
    },
    fundCents: 500,
  },
] as const;

/** Adds the two wallet agents to the world and the model, funded on chain. */
export async function addPayers(w: World, m: ModelState): Promise<number[]> {
  const deps = walletInternals(w.wallet);
  const indices: number[] = [];
  for (const spec of PAYERS) {
    const { agent } = await w.wallet.agents.create(
      agentCommand({
        name: spec.name,
        mode: 'live',
        rate_limit_per_minute: 1_000_000,
        ...spec.policy,
      }),
    );
    const { plaintext } = await w.wallet.keys.issue(agent.id, {});
    await w.wallet.chain.createAgentWallet(agent.id);
    const sourceId = deps.agents.get(agent.id)?.fundingSourceId as string;
    await w.wallet.chain.fundAgent(agent.id, cents(spec.fundCents));
    const index = m.agents.length;
    indices.push(index);
    w.agents.push({ id: agent.id, name: spec.name, plaintext });
    m.sources.set(sourceId, {
      id: sourceId,
      kind: 'onchain',
      balance: cents(spec.fundCents),
      limit: null,
    });
    const p = spec.policy as Record<string, unknown>;
    m.agents.push({
      index,
      id: agent.id,
      status: 'active',
      source: sourceId,
      known: new Set(),
      policy: {
        budget: cents(spec.policy.budget_cents),
        period: spec.policy.period,
        window: spec.policy.window,
        maxTransaction: null,
        approvalThreshold:
          typeof p.approval_threshold_cents === 'number' ? cents(p.approval_threshold_cents) : null,
        askOnNewMerchant: false,
        overBudget: (p.over_budget as 'ask' | undefined) ?? 'decline',
        velocityPerHour: null,
        pauseOnOverBudget: false,
        maxPending: spec.policy.max_pending,
        deny: [],
      },
    });
  }
  return indices;
}

export function chainPart(
  w: World,
  m: ModelState,
  prng: Prng,
  site: ChainSite,
  payers: number[],
): ChainPart {
  const chain = new ChainModel(site.price, new URL(site.paywallUrl).hostname);
  const deps = walletInternals(w.wallet);
  let idems = 0;
  let syncFailure: string | undefined;
  w.wallet.events.on('chain', (e) => {
    if (e.kind === 'sync_failed') syncFailure = e.message;
  });
  const statuses = new Map<string, string>();

  return {
    weights: {
      x402Pay: 22,
      x402Use: 10,
      chainLapse: 1.5,
      sync: 6,
      fundWallet: 3,
      receiptX402: 1.5,
      approveX402: 3,
      settleX402: 1.5,
    },

    build(kind) {
      const payments = [...chain.payments.values()];
      switch (kind) {
        case 'x402Pay': {
          const earlier = [...chain.byIdem.entries()];
          const waiting = earlier.filter(([, p]) => p.status === 'awaiting_approval');
          if (chain.forgotten.length > 0 && prng.chance(0.05)) {
            const idem = prng.pick(chain.forgotten);
            return { t: 'x402Pay', agent: prng.pick(payers), idem, retry: true };
          }
          if (earlier.length > 0 && prng.chance(0.3)) {
            const [idem, p] = prng.pick(waiting.length > 0 && prng.chance(0.7) ? waiting : earlier);
            return { t: 'x402Pay', agent: m.agentById(p.agentId).index, idem, retry: true };
          }
          return {
            t: 'x402Pay',
            agent: prng.pick(payers),
            idem: `model-${prng.seed}-${(idems += 1)}`,
            retry: false,
          };
        }
        case 'x402Use': {
          const signed = payments.filter((p) => p.epoch !== null);
          const fresh = signed.filter((p) => !p.usedOnChain && p.epoch === chain.epoch);
          if (signed.length === 0) return undefined;
          const p = prng.pick(fresh.length > 0 && prng.chance(0.8) ? fresh : signed);
          return {
            t: 'x402Use',
            paymentId: p.id,
            why: p.usedOnChain ? 'used' : p.epoch === chain.epoch ? 'fresh' : 'lapsed',
          };
        }
        case 'approveX402': {
          // The owner answers a payment that waits: the agent may come back to sign, or not.
          const waiting = payments.filter((p) => p.status === 'awaiting_approval');
          const s = waiting.length > 0 ? m.spends.get(prng.pick(waiting).spendId) : undefined;
          if (s?.status !== 'needs_approval') return undefined;
          return { t: 'approve', spendId: s.id, override: true, why: 'x402' };
        }
        case 'chainLapse':
          return { t: 'chainLapse', seconds: 400 };
        case 'sync':
          return { t: 'sync' };
        case 'fundWallet':
          return { t: 'fundWallet', agent: prng.pick(payers), cents: prng.pick([300, 500, 1_000]) };
        case 'settleX402': {
          // The owner tries to settle a payment Purser signed for less than it counts: refused
          // (409), since only the chain says what an x402 payment cost. (Allowed, a later
          // release by the chain took back more than the usage still held.)
          const open = payments.filter((p) => p.status === 'signed');
          if (open.length === 0) return undefined;
          const p = prng.pick(open);
          return { t: 'settle', spendId: p.spendId, to: (p.micros / 2n).toString(), why: 'x402' };
        }
        case 'receiptX402': {
          const x402 = [...m.spends.values()].filter((s) => s.x402);
          if (x402.length === 0) return undefined;
          const s = prng.pick(x402);
          const agent = m.agentById(s.agentId).index;
          return {
            t: 'receipt',
            agent,
            amount: { micros: Number(s.amount) },
            merchant: 'aws',
            spendId: s.id,
            why: 'x402',
          };
        }
        default:
          return undefined;
      }
    },

    async execute(a: Action): Promise<Executed | undefined> {
      switch (a.t) {
        case 'x402Pay': {
          const r = await w.wallet.chain.x402.pay(
            w.auth(a.agent),
            { resourceUrl: site.paywallUrl, paymentRequired: site.paymentRequired },
            a.idem,
          );
          if (r.kind === 'declined')
            return { outcome: { kind: 'refused', code: r.refusal.code }, minted: {} };
          return {
            outcome: {
              kind: 'x402',
              payment: r.payment.status,
              decision: r.spend.status,
              signed: r.payment.header !== null,
            },
            minted: { spendId: r.spend.id, paymentId: r.payment.id },
          };
        }
        case 'x402Use': {
          const header = deps.x402Payments.get(a.paymentId)?.header;
          if (!header) throw new Error(`payment ${a.paymentId} has no signature`);
          const paid = await fetchPaid(site.paywallUrl, 'PAYMENT-SIGNATURE', header);
          return { outcome: { kind: 'paid', status: paid.status }, minted: {} };
        }
        case 'chainLapse':
          await moveChainTime(site.rpcUrl, a.seconds);
          return { outcome: { kind: 'ok' }, minted: {} };
        case 'sync': {
          syncFailure = undefined;
          const reports = await w.wallet.chain.sync();
          const r = reports[0];
          if (!r) throw new Error(`the sync failed: ${syncFailure ?? 'no report'}`);
          return {
            outcome: {
              kind: 'synced',
              settled: r.settled,
              released: r.released,
              funded: r.transfers - r.settled,
            },
            minted: {},
          };
        }
        case 'fundWallet':
          try {
            await w.wallet.chain.fundAgent(w.agents[a.agent]?.id as string, cents(a.cents));
          } catch (error) {
            return { outcome: asAnswer(error), minted: {} };
          }
          return { outcome: { kind: 'ok' }, minted: {} };
        default:
          return undefined;
      }
    },

    model: (model, a, minted) => chain.apply(model, a, minted),

    subject(a) {
      if (a.t === 'x402Use') return chain.payments.get(a.paymentId)?.agentId ?? null;
      return undefined;
    },

    check(a) {
      const rows = deps.db
        .prepare<[], { id: string; status: string }>('SELECT id, status FROM x402_payments')
        .all();
      if (rows.length !== chain.payments.size)
        throw new Error(
          `x402 payments: the core has ${rows.length}, the model ${chain.payments.size}`,
        );
      const fromChain = a.t === 'sync' || a.t === 'fundWallet';
      for (const r of rows) {
        const p = chain.payments.get(r.id);
        if (p?.status !== r.status)
          throw new Error(
            `x402 payment ${r.id}: the core has ${r.status}, the model predicted ${p?.status}`,
          );
        const was = statuses.get(r.id);
        if (!fromChain && was !== r.status && (r.status === 'released' || r.status === 'settled'))
          throw new Error(
            `auditor: x402 payment ${r.id} was ${r.status} by a ${a.t}, not by the chain`,
          );
        statuses.set(r.id, r.status);
      }
    },
  };
}
