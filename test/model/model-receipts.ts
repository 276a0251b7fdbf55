/**
 * The model of receipts and of the owner's review of them (docs/money-integrity.md, rules
 * 1–4): a receipt is a claim. It counts in full against the reporting agent's own limits
 * and against the shared ones only up to the agent's headroom; the rest is held for the
 * owner. It settles only an approved request, at most once, and never gives money back.
 */
import type { Minted, Outcome, ReceiptAmount } from './actions';
import { conflict, notFound, revokedKey, settleUsage } from './model-spend';
import { cents, min, type MAgent, type MReceipt, type ModelState } from './model-state';

interface Counting {
  counted: bigint;
  usage: MReceipt['usage'];
  grantId: string | null;
  flags: string[];
  settles: boolean;
  review: { kind: 'shared_excess' | 'settled_for_less'; micros: bigint } | null;
}

export const amountOf = (a: ReceiptAmount): bigint =>
  'cents' in a ? cents(a.cents) : BigInt(a.micros);

/** Money no approved request accounted for: full against the agent, headroom-capped shared. */
function claim(
  m: ModelState,
  a: MAgent,
  id: string,
  amount: bigint,
  merchant: string,
  flags: string[],
): Counting {
  const headroom = m.headroom(a);
  const shared = min(amount, headroom);
  const held = amount - shared;
  const grant = m.activeGrant(a);
  const usage = m.count(a, id, amount, merchant, shared);
  if (grant) m.draw(grant, amount);
  return {
    counted: amount,
    usage,
    grantId: grant?.id ?? null,
    flags: held > 0n ? [...flags, 'held_for_review'] : flags,
    settles: false,
    review: held > 0n ? { kind: 'shared_excess', micros: held } : null,
  };
}

export function receipt(
  m: ModelState,
  a: MAgent,
  amount: bigint,
  merchant: string,
  spendId: string | undefined,
  minted: Minted,
): Outcome {
  if (a.status === 'revoked') return revokedKey;
  const named = spendId === undefined ? undefined : m.spends.get(spendId);
  if (spendId !== undefined) {
    if (!named) return (m.tag('receipt:404_unknown'), notFound);
    if (named.agentId !== a.id) return (m.tag('receipt:404_other_agent'), notFound);
    if (named.x402) {
      m.tag('receipt:409_x402');
      return { kind: 'error', code: 'invalid_request', status: 409, reason: 'paid_through_purser' };
    }
    if (named.status === 'approved' && named.settledBy !== null)
      return (m.tag('receipt:409_settled'), conflict);
  }
  if (amount >= 10n ** 11n) m.tag('receipt:huge');
  const id = minted.receiptId;
  if (!id) throw new Error('model: the core made no receipt');
  let c: Counting;
  if (named?.status === 'approved' && named.usage) {
    named.settledBy = id;
    const delta = amount - named.amount;
    if (delta > 0n) {
      c = { ...claim(m, a, id, delta, merchant, ['exceeds_request']), settles: true };
      m.tag('receipt:settle_more');
    } else {
      c = {
        counted: 0n,
        usage: named.usage,
        grantId: named.grantId,
        flags: delta < 0n ? ['less_than_request'] : [],
        settles: true,
        review: delta < 0n ? { kind: 'settled_for_less', micros: -delta } : null,
      };
      m.tag(delta < 0n ? 'receipt:settle_less' : 'receipt:settle_same');
    }
  } else {
    const flags = named ? [`request_${named.status}`] : [];
    c = claim(m, a, id, amount, merchant, flags);
    m.tag(named ? `receipt:names_${named.status}` : 'receipt:plain');
  }
  if (c.review?.kind === 'shared_excess') m.tag('receipt:held_for_review');
  m.receipts.set(id, {
    id,
    agentId: a.id,
    amount,
    usage: c.usage,
    spendId: spendId ?? null,
    review: c.review && { ...c.review, status: 'open' },
  });
  const over = overLimits(m, a, c.grantId);
  // Over a limit: paused if its policy says so; held for review: paused whatever it says.
  if (over.length > 0 && a.policy.pauseOnOverBudget && a.status === 'active') {
    a.status = 'paused';
    m.tag('receipt:paused_over_budget');
  }
  if (c.review?.kind === 'shared_excess' && a.status === 'active') {
    a.status = 'paused';
    m.tag('receipt:paused_for_review');
  }
  return {
    kind: 'receipt',
    counted: c.counted.toString(),
    settles: c.settles,
    flags: [...c.flags].sort(),
    review: c.review && { kind: c.review.kind, micros: c.review.micros.toString() },
    overLimits: over.sort(),
    grant: c.grantId,
  };
}

/** Every limit the agent is over once the receipt counts (decision-order.md, receipts). */
function overLimits(m: ModelState, a: MAgent, grantId: string | null): string[] {
  const over: string[] = [];
  if (m.spent(a) > a.policy.budget) over.push('budget');
  const s = m.source(a);
  const limitSpent = m.sourceSpent(s);
  if (s.limit && limitSpent !== null && limitSpent > s.limit.amount) over.push('funding_limit');
  if (s.balance < 0n) over.push('funding_balance');
  const capSpent = m.capSpent();
  if (m.cap && capSpent !== null && capSpent > m.cap.amount) over.push('global_cap');
  const g = grantId ? m.grants.get(grantId) : undefined;
  if (g && g.approved !== null && g.spent > g.approved) over.push('budget_request');
  return over;
}

function openReview(m: ModelState, id: string): MReceipt | Outcome {
  const r = m.receipts.get(id);
  if (!r) return notFound;
  if (r.review?.status !== 'open') return (m.tag('review:409'), conflict);
  return r;
}

/**
 * The owner accepts: a held part now counts against the shared limits (and the balance);
 * a settlement for less settles the request for the receipt's amount, if it counts more.
 */
export function accept(m: ModelState, id: string): Outcome {
  const r = openReview(m, id);
  if ('kind' in r) return r;
  const review = r.review as NonNullable<MReceipt['review']>;
  if (review.kind === 'shared_excess') {
    m.adjust(r.usage as NonNullable<MReceipt['usage']>, 0n, review.micros);
    m.tag('accept:shared_excess');
  } else {
    const s = m.spends.get(r.spendId as string);
    if (!s?.usage) throw new Error(`model: receipt ${id} settles nothing`);
    if (s.usage.micros > r.amount) settleUsage(m, s, r.amount);
    m.tag('accept:settled_for_less');
  }
  review.status = 'accepted';
  return { kind: 'reviewed', status: 'accepted' };
}

export function dispute(m: ModelState, id: string): Outcome {
  const r = openReview(m, id);
  if ('kind' in r) return r;
  (r.review as NonNullable<MReceipt['review']>).status = 'disputed';
  m.tag(`dispute:${r.review?.kind}`);
  return { kind: 'reviewed', status: 'disputed' };
}
