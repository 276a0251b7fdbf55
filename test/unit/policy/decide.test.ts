import { describe, expect, it } from 'vitest';
import {
  checkHardLimits,
  decide,
  type DecisionInput,
  type LimitState,
  type Refusal,
  type Rule,
  type Verdict,
} from '../../../electron/core/policy/decide';
import { policyFromInput } from '../../../electron/core/policy/policy';
import type { TimeWindow } from '../../../electron/core/policy/windows';
import { DEFAULT_POLICY, type PolicyInput } from '../../../shared/schemas/policy';

const usd = (dollars: number): bigint => BigInt(dollars) * 1_000_000n;

const MARCH: TimeWindow = {
  start: Date.UTC(2026, 2, 1),
  end: Date.UTC(2026, 3, 1),
  width: null,
};

/** A policy whose budget is $100 a month and nothing else set. */
function policy(overrides: Partial<PolicyInput> = {}) {
  return policyFromInput({ ...DEFAULT_POLICY, budget_cents: 100_00, ...overrides }, 3);
}

/** A $1 spend that every check lets through. */
function input(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    amount: usd(1),
    merchant: 'api.openai.com',
    category: null,
    agentStatus: 'active',
    frozen: false,
    policy: policy(),
    budgetSpent: 0n,
    velocityCount: 0,
    fundingBalance: usd(1_000),
    fundingLimit: null,
    globalCap: null,
    budgetRequest: null,
    merchantIsNew: false,
    pendingCount: () => 0,
    ...overrides,
  };
}

function limit(amount: bigint, spent: bigint, window: TimeWindow = MARCH): LimitState {
  return { amount, period: 'monthly', spent, window };
}

/** `outcome/rule`, e.g. `declined/velocity`. */
const outcome = (d: ReturnType<typeof decide>): string => `${d.outcome}/${d.rule}`;

describe('decide: baseline', () => {
  it('approves a spend that breaks no rule', () => {
    const d = decide(input());
    expect(d).toEqual({
      outcome: 'approved',
      rule: 'within_policy',
      reason: 'Spend request approved',
    });
    expect('budgetRequestId' in d).toBe(false);
  });

  it('declines everything under the default policy, whose budget is zero', () => {
    const d = decide(input({ policy: policyFromInput(DEFAULT_POLICY, 1), amount: 1n }));
    expect(outcome(d)).toBe('declined/over_budget');
  });
});

describe('decide: step 5, standing', () => {
  it('declines a paused agent', () => {
    expect(outcome(decide(input({ agentStatus: 'paused' })))).toBe('declined/agent_paused');
  });
  it('declines a revoked agent', () => {
    expect(outcome(decide(input({ agentStatus: 'revoked' })))).toBe('declined/agent_revoked');
  });
  it('declines when the wallet is frozen', () => {
    expect(outcome(decide(input({ frozen: true })))).toBe('declined/wallet_frozen');
  });
  it('reports revoked, then paused, before the freeze', () => {
    expect(decide(input({ agentStatus: 'revoked', frozen: true })).rule).toBe('agent_revoked');
    expect(decide(input({ agentStatus: 'paused', frozen: true })).rule).toBe('agent_paused');
  });
});

describe('decide: step 6, merchant and category', () => {
  it('declines a merchant on the deny-list, exact name case-insensitively', () => {
    const d = decide(
      input({ policy: policy({ deny_merchants: ['Evil.Example'] }), merchant: ' EVIL.example ' }),
    );
    expect(outcome(d)).toBe('declined/merchant_denied');
    expect(d.reason).toContain('evil.example');
  });
  it('declines a merchant matching a deny-list glob', () => {
    const d = decide(
      input({ policy: policy({ deny_merchants: ['*.casino.com'] }), merchant: 'x.casino.com' }),
    );
    expect(outcome(d)).toBe('declined/merchant_denied');
  });
  it('declines a merchant not on a non-empty allow-list', () => {
    const p = policy({ allow_merchants: ['*.anthropic.com'] });
    expect(outcome(decide(input({ policy: p })))).toBe('declined/merchant_not_allowed');
    expect(outcome(decide(input({ policy: p, merchant: 'api.anthropic.com' })))).toBe(
      'approved/within_policy',
    );
  });
  it('deny-list wins over allow-list', () => {
    const p = policy({ allow_merchants: ['*.openai.com'], deny_merchants: ['api.openai.com'] });
    expect(decide(input({ policy: p })).rule).toBe('merchant_denied');
  });
  it('declines a missing or unlisted category when categories are restricted', () => {
    const p = policy({ allowed_categories: ['Compute', 'llm'] });
    expect(outcome(decide(input({ policy: p, category: null })))).toBe(
      'declined/category_not_allowed',
    );
    expect(outcome(decide(input({ policy: p, category: 'travel' })))).toBe(
      'declined/category_not_allowed',
    );
    expect(decide(input({ policy: p, category: ' COMPUTE ' })).outcome).toBe('approved');
    expect(decide(input({ policy: p, category: 'LLM' })).outcome).toBe('approved');
  });
  it('does not look at the category when no categories are listed', () => {
    expect(decide(input({ category: 'anything' })).outcome).toBe('approved');
  });
  it('allow-list is checked before categories', () => {
    const p = policy({ allow_merchants: ['other.com'], allowed_categories: ['llm'] });
    expect(decide(input({ policy: p, category: 'travel' })).rule).toBe('merchant_not_allowed');
  });
});

describe('decide: step 6 on merchant keys and look-alikes (docs/merchant-identity.md)', () => {
  const CYRILLIC_AWS = '\u0430ws';
  const denied = policy({ deny_merchants: ['aws', 'api.openai.com'] });
  const allowed = policy({ allow_merchants: ['aws'] });
  it('declines a look-alike of a denied name, even when the allow-list has *', () => {
    const d = decide(input({ policy: denied, merchant: CYRILLIC_AWS }));
    expect(outcome(d)).toBe('declined/merchant_lookalike_denied');
    expect(d.reason).toBe(
      `Merchant "${CYRILLIC_AWS}" looks like "aws" on the deny-list but is not the same name`,
    );
    const both = policy({ deny_merchants: ['aws'], allow_merchants: ['*'] });
    expect(decide(input({ policy: both, merchant: CYRILLIC_AWS })).rule).toBe(
      'merchant_lookalike_denied',
    );
  });
  it('asks the owner about a look-alike of an allowed name, approves the name itself', () => {
    const d = decide(input({ policy: allowed, merchant: CYRILLIC_AWS }));
    expect(d).toEqual({
      outcome: 'needs_approval',
      rule: 'merchant_lookalike',
      reason: `Merchant "${CYRILLIC_AWS}" looks like "aws" on the allow-list but is not the same name`,
    });
    expect(outcome(decide(input({ policy: allowed, merchant: 'AWS ' })))).toBe(
      'approved/within_policy',
    );
    expect(decide(input({ policy: allowed, merchant: 'gcp' })).rule).toBe('merchant_not_allowed');
  });
  it('the look-alike ask still loses to categories and to every later decline or refusal', () => {
    const p = policy({ allow_merchants: ['aws'], allowed_categories: ['llm'] });
    const m = { merchant: CYRILLIC_AWS };
    expect(decide(input({ ...m, policy: p, category: 'travel' })).rule).toBe(
      'category_not_allowed',
    );
    const lim = policy({ allow_merchants: ['aws'], max_transaction_cents: 1 });
    expect(decide(input({ ...m, policy: lim })).rule).toBe('max_transaction');
    expect(decide(input({ ...m, policy: allowed, fundingBalance: 0n })).rule).toBe(
      'insufficient_balance',
    );
    expect(decide(input({ ...m, policy: allowed, budgetSpent: usd(100) })).rule).toBe(
      'over_budget',
    );
    const br = { id: 'breq_1', remaining: 0n };
    expect(decide(input({ ...m, policy: allowed, budgetRequest: br })).rule).toBe(
      'budget_request_exhausted',
    );
  });
  it('the look-alike ask wins over every approval and keeps another reason to ask', () => {
    const m = { merchant: CYRILLIC_AWS, policy: allowed };
    const br = decide(input({ ...m, budgetRequest: { id: 'breq_1', remaining: usd(50) } }));
    expect(outcome(br)).toBe('needs_approval/merchant_lookalike');
    expect('budgetRequestId' in br).toBe(false);
    const p = policy({ allow_merchants: ['aws'], approval_threshold_cents: 1 });
    const both = decide(input({ merchant: CYRILLIC_AWS, policy: p }));
    expect(outcome(both)).toBe('needs_approval/merchant_lookalike');
    expect(both.reason).toContain('looks like "aws"');
    expect(both.reason).toContain('approval threshold');
  });
  it('matches globs on the host of a URL, and their look-alikes', () => {
    const p = policy({ allow_merchants: ['*.openai.com'] });
    expect(decide(input({ policy: p, merchant: 'https://API.OpenAI.com/x' })).outcome).toBe(
      'approved',
    );
    expect(decide(input({ policy: p, merchant: 'api.\u03bfpenai.com' })).rule).toBe(
      'merchant_lookalike',
    );
  });
  it('compares categories on normalised text', () => {
    const p = policy({ allowed_categories: ['Compute'] });
    expect(decide(input({ policy: p, category: 'ｃｏｍｐｕｔｅ\u200b' })).outcome).toBe('approved');
  });
});

describe('decide: step 7, max transaction', () => {
  const p = policy({ max_transaction_cents: 25_00 });
  it('allows an amount equal to the max transaction size', () => {
    expect(outcome(decide(input({ policy: p, amount: usd(25) })))).toBe('approved/within_policy');
  });
  it('declines one micro-dollar more', () => {
    const d = decide(input({ policy: p, amount: usd(25) + 1n }));
    expect(outcome(d)).toBe('declined/max_transaction');
    expect(d.reason).toContain('$25.000001');
    expect(d.reason).toContain('$25.00');
  });
  it('a max transaction of zero declines every spend', () => {
    expect(decide(input({ policy: policy({ max_transaction_cents: 0 }), amount: 1n })).rule).toBe(
      'max_transaction',
    );
  });
});

describe('decide: step 8, velocity', () => {
  const p = policy({ velocity_per_hour: 3 });
  it('allows the spend that reaches the limit', () => {
    expect(decide(input({ policy: p, velocityCount: 2 })).outcome).toBe('approved');
  });
  it('declines once the limit has been reached', () => {
    const d = decide(input({ policy: p, velocityCount: 3 }));
    expect(outcome(d)).toBe('declined/velocity');
    expect(d.reason).toContain('limit 3');
  });
  it('has no limit when velocity is null', () => {
    expect(decide(input({ velocityCount: 1_000_000 })).outcome).toBe('approved');
  });
});

describe('decide: steps 9–11, hard limits', () => {
  it('allows spent + amount equal to the funding limit, refuses one micro more', () => {
    expect(decide(input({ fundingLimit: limit(usd(50), usd(49)) })).outcome).toBe('approved');
    const d = decide(input({ fundingLimit: limit(usd(50), usd(49) + 1n) }));
    expect(d.outcome).toBe('refused');
    expect((d as Refusal).code).toBe('funding_source_budget_exceeded');
    expect(d.rule).toBe('funding_limit');
  });

  it('reports the funding limit details in cents, rounded against the agent', () => {
    const d = decide(
      input({ amount: 5_000_001n, fundingLimit: limit(usd(50), 45_123_401n) }),
    ) as Refusal;
    expect(d).toMatchObject({ outcome: 'refused', rule: 'funding_limit' });
    expect(d.details).toEqual({
      limit: 5000,
      spent: 4513, // 4512.3401 cents, rounded up
      remaining: 487, // 487.6599 cents, rounded down
      requested: 501, // 500.0001 cents, rounded up
      period: 'monthly',
      windowStart: '2026-03-01T00:00:00.000Z',
      windowEnd: '2026-04-01T00:00:00.000Z',
      currency: 'usd',
      unit: 'cents',
    });
  });

  it('reports a total window with a null end and never a negative remaining', () => {
    const total: LimitState = {
      amount: usd(10),
      period: 'total',
      spent: usd(12),
      window: { start: 0, end: null, width: null },
    };
    const d = decide(input({ fundingLimit: total })) as Refusal;
    expect(d.details).toMatchObject({
      limit: 1000,
      spent: 1200,
      remaining: 0,
      requested: 100,
      period: 'total',
      windowStart: '1970-01-01T00:00:00.000Z',
      windowEnd: null,
    });
    expect(d.reason).toContain('$0.00 left of $10.00 total');
  });

  it('allows spent + amount equal to the global cap, refuses one micro more', () => {
    expect(decide(input({ globalCap: limit(usd(20), usd(19)) })).outcome).toBe('approved');
    const d = decide(input({ globalCap: limit(usd(20), usd(19) + 1n) })) as Refusal;
    expect(d).toMatchObject({
      outcome: 'refused',
      rule: 'global_cap',
      code: 'plan_spend_volume_exceeded',
    });
    expect(d.details).toMatchObject({ limit: 2000, spent: 1901, remaining: 99, requested: 100 });
  });

  it('allows a balance equal to the amount, refuses one micro less', () => {
    expect(decide(input({ fundingBalance: usd(1) })).outcome).toBe('approved');
    const d = decide(input({ fundingBalance: usd(1) - 1n })) as Refusal;
    expect(d).toMatchObject({
      outcome: 'refused',
      rule: 'insufficient_balance',
      code: 'insufficient_wallet_balance',
    });
    expect(d.details).toEqual({ balance: 99, requested: 100, currency: 'usd', unit: 'cents' });
  });

  it('reports a negative balance as zero', () => {
    const d = decide(input({ fundingBalance: -usd(3) })) as Refusal;
    expect(d.details).toMatchObject({ balance: 0 });
    expect(d.reason).toContain('$0.00');
  });

  it('checkHardLimits alone ignores the policy and returns null when all fit', () => {
    const hl = {
      amount: usd(5),
      fundingBalance: usd(5),
      fundingLimit: limit(usd(5), 0n),
      globalCap: limit(usd(5), 0n),
    };
    expect(checkHardLimits(hl)).toBeNull();
    expect(checkHardLimits({ ...hl, amount: usd(5) + 1n })?.rule).toBe('funding_limit');
    expect(checkHardLimits({ ...hl, fundingLimit: null, amount: usd(5) + 1n })?.rule).toBe(
      'global_cap',
    );
    expect(
      checkHardLimits({ ...hl, fundingLimit: null, globalCap: null, amount: usd(5) + 1n })?.rule,
    ).toBe('insufficient_balance');
  });
});

describe('decide: step 12, budget request', () => {
  const br = { id: 'breq_abc', remaining: usd(30) };
  it('approves against the budget request and names it', () => {
    const d = decide(input({ budgetRequest: br, amount: usd(30) })) as Verdict;
    expect(outcome(d)).toBe('approved/budget_request');
    expect(d.budgetRequestId).toBe('breq_abc');
  });
  it('declines one micro more than what is left, saying it is exhausted', () => {
    const d = decide(input({ budgetRequest: br, amount: usd(30) + 1n }));
    expect(outcome(d)).toBe('declined/budget_request_exhausted');
    expect(d.reason).toContain('breq_abc');
    expect(d.reason).toContain('exhausted');
    expect('budgetRequestId' in d).toBe(false);
  });
  it('an exhausted budget request declines even when the periodic budget has room', () => {
    const d = decide(input({ budgetRequest: { id: 'breq_x', remaining: 0n }, amount: 1n }));
    expect(d.rule).toBe('budget_request_exhausted');
  });
});

describe('decide: step 13, periodic budget', () => {
  it('approves spent + amount equal to the budget', () => {
    expect(decide(input({ budgetSpent: usd(99) })).outcome).toBe('approved');
  });
  it('declines one micro more', () => {
    const d = decide(input({ budgetSpent: usd(99) + 1n }));
    expect(outcome(d)).toBe('declined/over_budget');
    expect(d.reason).toContain('($0.999999 left of $100.00)');
    expect(d.reason).toContain('monthly');
  });
  it('asks instead when over-budget behaviour is ask', () => {
    const d = decide(input({ policy: policy({ over_budget: 'ask' }), budgetSpent: usd(100) }));
    expect(outcome(d)).toBe('needs_approval/over_budget');
  });
  it('never reports a negative amount left', () => {
    expect(decide(input({ budgetSpent: usd(150) })).reason).toContain('$0.00 left');
  });
});

describe('decide: step 14, approval', () => {
  const p = policy({ approval_threshold_cents: 10_00 });
  it('asks at exactly the threshold', () => {
    expect(outcome(decide(input({ policy: p, amount: usd(10) })))).toBe(
      'needs_approval/approval_threshold',
    );
  });
  it('approves one micro below the threshold', () => {
    expect(decide(input({ policy: p, amount: usd(10) - 1n })).outcome).toBe('approved');
  });
  it('asks on a new merchant only when the policy says so', () => {
    const ask = policy({ ask_on_new_merchant: true });
    expect(outcome(decide(input({ policy: ask, merchantIsNew: true })))).toBe(
      'needs_approval/new_merchant',
    );
    expect(decide(input({ policy: ask, merchantIsNew: false })).outcome).toBe('approved');
    expect(decide(input({ merchantIsNew: true })).outcome).toBe('approved');
  });
  it('a zero threshold asks for every spend', () => {
    expect(
      decide(input({ policy: policy({ approval_threshold_cents: 0 }), amount: 1n })).rule,
    ).toBe('approval_threshold');
  });
});

describe('decide: order of the steps', () => {
  const strict = policy({
    deny_merchants: ['evil.example'],
    max_transaction_cents: 50_00,
    velocity_per_hour: 5,
    approval_threshold_cents: 5_00,
    ask_on_new_merchant: true,
  });
  /** Breaks every step from 5 to 14 at once. */
  const allBroken = input({
    policy: strict,
    agentStatus: 'paused',
    merchant: 'evil.example',
    amount: usd(60),
    velocityCount: 5,
    fundingLimit: limit(usd(50), usd(45)),
    globalCap: limit(usd(50), usd(45)),
    fundingBalance: usd(5),
    budgetRequest: { id: 'breq_1', remaining: usd(1) },
    budgetSpent: usd(99),
    merchantIsNew: true,
  });
  /** Each rung: the rule that must decide, then the repair that lets the next one decide. */
  const ladder: [Rule, Partial<DecisionInput>][] = [
    ['agent_paused', { agentStatus: 'active' }],
    ['merchant_denied', { merchant: 'api.openai.com' }],
    ['max_transaction', { amount: usd(6) }],
    ['velocity', { velocityCount: 4 }],
    ['funding_limit', { fundingLimit: limit(usd(50), usd(44)) }],
    ['global_cap', { globalCap: limit(usd(50), usd(44)) }],
    ['insufficient_balance', { fundingBalance: usd(6) }],
    ['budget_request_exhausted', { budgetRequest: null }],
    ['over_budget', { budgetSpent: usd(94) }],
    ['approval_threshold', { amount: usd(5) - 1n }],
    ['new_merchant', { merchantIsNew: false }],
    ['within_policy', {}],
  ];
  it.each(ladder.map(([rule], i) => [rule, i] as const))(
    '%s decides once every earlier step is repaired',
    (rule, i) => {
      const repaired = ladder.slice(0, i).reduce((acc, [, fix]) => ({ ...acc, ...fix }), allBroken);
      expect(decide(repaired).rule).toBe(rule);
    },
  );

  it('frozen beats the deny-list', () => {
    expect(decide({ ...allBroken, agentStatus: 'active', frozen: true }).rule).toBe(
      'wallet_frozen',
    );
  });
  it('allow-list and category lose to the deny-list, beat max transaction', () => {
    const p = policy({
      deny_merchants: ['evil.example'],
      allow_merchants: ['good.example'],
      allowed_categories: ['llm'],
      max_transaction_cents: 1,
    });
    expect(decide(input({ policy: p, merchant: 'evil.example' })).rule).toBe('merchant_denied');
    expect(decide(input({ policy: p })).rule).toBe('merchant_not_allowed');
    expect(decide(input({ policy: p, merchant: 'good.example' })).rule).toBe(
      'category_not_allowed',
    );
  });
  it('hard limits beat an approved budget request with room left', () => {
    const br = { id: 'breq_1', remaining: usd(100) };
    expect(decide(input({ budgetRequest: br, fundingBalance: 0n })).rule).toBe(
      'insufficient_balance',
    );
    expect(decide(input({ budgetRequest: br, globalCap: limit(usd(1), usd(1)) })).rule).toBe(
      'global_cap',
    );
    expect(decide(input({ budgetRequest: br, fundingLimit: limit(usd(1), 1n) })).outcome).toBe(
      'refused',
    );
  });
  it('a budget request beats the periodic budget, the threshold and the new-merchant ask', () => {
    const p = policy({
      budget_cents: 0,
      approval_threshold_cents: 1,
      ask_on_new_merchant: true,
      over_budget: 'ask',
    });
    const d = decide(
      input({ policy: p, merchantIsNew: true, budgetRequest: { id: 'breq_2', remaining: usd(1) } }),
    );
    expect(outcome(d)).toBe('approved/budget_request');
  });
  it('the periodic budget beats the threshold when it asks too', () => {
    const ask = policy({
      approval_threshold_cents: 1,
      over_budget: 'ask',
      ask_on_new_merchant: true,
    });
    const d = decide(input({ policy: ask, budgetSpent: usd(100), merchantIsNew: true }));
    expect(outcome(d)).toBe('needs_approval/over_budget');
    expect(d.reason).toContain('budget');
  });
  it('does not mutate its input', () => {
    // The pending count is a function (asked only when needed); the rest is plain data.
    const { pendingCount, ...data } = allBroken;
    const copy = structuredClone(data);
    decide(allBroken);
    expect({ ...allBroken, pendingCount }).toEqual({ ...copy, pendingCount });
  });
});

describe('decide: the cap on requests waiting for the owner (docs/money-integrity.md)', () => {
  const asks = policy({ approval_threshold_cents: 1, max_pending: 3 });

  it('declines what would ask once the agent has max_pending waiting, and says why', () => {
    const d = decide(input({ policy: asks, pendingCount: () => 3 }));
    expect(d).toMatchObject({ outcome: 'declined', rule: 'too_many_pending' });
    expect((d as { reason: string }).reason).toMatch(/3 requests .* already wait .*\(3\)/);
    expect(decide(input({ policy: asks, pendingCount: () => 2 }))).toMatchObject({
      outcome: 'needs_approval',
      rule: 'approval_threshold',
    });
  });

  it('never counts for an answer that would not ask: approvals and declines are as before', () => {
    let asked = 0;
    const counting = () => {
      asked += 1;
      return 1_000;
    };
    expect(decide(input({ pendingCount: counting })).outcome).toBe('approved');
    expect(decide(input({ pendingCount: counting, agentStatus: 'paused' })).outcome).toBe(
      'declined',
    );
    expect(asked).toBe(0);
  });

  it('caps look-alike and over-budget asks too', () => {
    const lookalike = policy({ allow_merchants: ['paypal.com'], max_pending: 1 });
    expect(
      decide(input({ policy: lookalike, merchant: 'pаypal.com', pendingCount: () => 1 })),
    ).toMatchObject({ outcome: 'declined', rule: 'too_many_pending' });
    const over = policy({ budget_cents: 50, over_budget: 'ask', max_pending: 1 });
    expect(decide(input({ policy: over, pendingCount: () => 1 }))).toMatchObject({
      outcome: 'declined',
      rule: 'too_many_pending',
    });
  });
});

describe('decide: a payout’s recipient (docs/payouts.md)', () => {
  const A = '0x1111111111111111111111111111111111111111';
  const B = '0x2222222222222222222222222222222222222222';
  const payee = (over: Partial<NonNullable<DecisionInput['payee']>> = {}) => ({
    address: A,
    label: A,
    isNew: false,
    lookalikeOf: null,
    ...over,
  });

  it('judges the recipient instead of the merchant lists', () => {
    // A merchant allow-list does not decline a payout: payouts have their own lists.
    const p = policy({ allow_merchants: ['aws'], ask_on_new_recipient: false });
    expect(outcome(decide(input({ policy: p, merchant: A, payee: payee() })))).toBe(
      'approved/within_policy',
    );
  });

  it('declines a denied address, and any address outside a non-empty allow-list', () => {
    expect(
      outcome(decide(input({ policy: policy({ deny_recipients: [A] }), payee: payee() }))),
    ).toBe('declined/recipient_denied');
    expect(
      outcome(decide(input({ policy: policy({ allow_recipients: [B] }), payee: payee() }))),
    ).toBe('declined/recipient_not_allowed');
    expect(
      outcome(
        decide(
          input({
            policy: policy({ allow_recipients: [A], ask_on_new_recipient: false }),
            payee: payee(),
          }),
        ),
      ),
    ).toBe('approved/within_policy');
  });

  it('asks before a first payout unless the owner turned it off, even against a budget request', () => {
    const grant = { id: 'breq_1', remaining: usd(50) };
    expect(outcome(decide(input({ payee: payee({ isNew: true }), budgetRequest: grant })))).toBe(
      'needs_approval/new_recipient',
    );
    expect(
      outcome(
        decide(
          input({ policy: policy({ ask_on_new_recipient: false }), payee: payee({ isNew: true }) }),
        ),
      ),
    ).toBe('approved/within_policy');
  });

  it('asks for an address that imitates a saved recipient, whatever the owner set', () => {
    const d = decide(
      input({
        policy: policy({ ask_on_new_recipient: false }),
        payee: payee({ lookalikeOf: { name: 'Alice', address: B } }),
      }),
    );
    expect(outcome(d)).toBe('needs_approval/recipient_lookalike');
    expect(d.reason).toMatch(/Alice/);
  });

  it('a decline or a hard limit still wins over the ask', () => {
    expect(outcome(decide(input({ payee: payee({ isNew: true }), amount: usd(101) })))).toBe(
      'declined/over_budget',
    );
    expect(outcome(decide(input({ payee: payee({ isNew: true }), fundingBalance: 0n })))).toBe(
      'refused/insufficient_balance',
    );
  });
});
