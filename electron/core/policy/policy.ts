import type { OverBudgetBehaviour, Period, WindowKind } from '../../../shared/domain';
import { centsToMicros, microsToCentsFloor, type Micros } from '../../../shared/money';
import { DEFAULT_POLICY, type PolicyInput } from '../../../shared/schemas/policy';
import { merchantKey, normalizeText } from './merchant-key';
import { compileMerchantList, type MerchantList } from './merchants';

/** One version of an agent's limits, in micros. Immutable once written. */
export interface Policy {
  version: number;
  budget: Micros;
  period: Period;
  window: WindowKind;
  maxTransaction: Micros | null;
  approvalThreshold: Micros | null;
  allowMerchants: readonly string[];
  denyMerchants: readonly string[];
  allowedCategories: readonly string[];
  /**
   * Derived from the three lists above whenever a policy is built or parsed, and never
   * stored: keys and skeletons are computed once per policy version, not per decision
   * (docs/merchant-identity.md).
   */
  allowList: MerchantList;
  denyList: MerchantList;
  categoryKeys: ReadonlySet<string>;
  askOnNewMerchant: boolean;
  overBudget: OverBudgetBehaviour;
  velocityPerHour: number | null;
  rateLimitPerMinute: number;
  pauseOnOverBudget: boolean;
  /** Requests of this agent that may wait for the owner at once (docs/money-integrity.md). */
  maxPending: number;
}

const nullableMicros = (cents: number | null) => (cents === null ? null : centsToMicros(cents));
const nullableCents = (micros: Micros | null) =>
  micros === null ? null : microsToCentsFloor(micros);

/** The fields derived from the stored lists; see `Policy.allowList`. */
type Derived = 'allowList' | 'denyList' | 'categoryKeys';

function withDerived(p: Omit<Policy, Derived>): Policy {
  return {
    ...p,
    allowList: compileMerchantList(p.allowMerchants),
    denyList: compileMerchantList(p.denyMerchants),
    categoryKeys: new Set(p.allowedCategories.map(normalizeText)),
  };
}

export function policyFromInput(input: PolicyInput, version: number): Policy {
  return withDerived({
    version,
    budget: centsToMicros(input.budget_cents),
    period: input.period,
    window: input.window,
    maxTransaction: nullableMicros(input.max_transaction_cents),
    approvalThreshold: nullableMicros(input.approval_threshold_cents),
    allowMerchants: input.allow_merchants.map(listEntry),
    denyMerchants: input.deny_merchants.map(listEntry),
    allowedCategories: input.allowed_categories.map(listEntry),
    askOnNewMerchant: input.ask_on_new_merchant,
    overBudget: input.over_budget,
    velocityPerHour: input.velocity_per_hour,
    rateLimitPerMinute: input.rate_limit_per_minute,
    pauseOnOverBudget: input.pause_on_over_budget,
    maxPending: input.max_pending,
  });
}

export function policyToInput(p: Policy): PolicyInput {
  return {
    budget_cents: microsToCentsFloor(p.budget),
    period: p.period,
    window: p.window,
    max_transaction_cents: nullableCents(p.maxTransaction),
    approval_threshold_cents: nullableCents(p.approvalThreshold),
    allow_merchants: [...p.allowMerchants],
    deny_merchants: [...p.denyMerchants],
    allowed_categories: [...p.allowedCategories],
    ask_on_new_merchant: p.askOnNewMerchant,
    over_budget: p.overBudget,
    velocity_per_hour: p.velocityPerHour,
    rate_limit_per_minute: p.rateLimitPerMinute,
    pause_on_over_budget: p.pauseOnOverBudget,
    max_pending: p.maxPending,
  };
}

/**
 * How a list entry is stored and shown: as the owner wrote it, trimmed and lower-cased (as
 * every stored policy already is). Matching never uses this form directly but its merchant
 * key, derived when the policy is loaded (docs/merchant-identity.md).
 */
function listEntry(entry: string): string {
  return entry.trim().toLowerCase();
}

/** The normalised merchant key; see docs/merchant-identity.md. */
export function normalizeMerchant(name: string): string {
  return merchantKey(name);
}

const MICROS_FIELDS = ['budget', 'maxTransaction', 'approvalThreshold'] as const;

/** Stored form: the policy as JSON with micros as decimal strings (exact, future-proof). */
export function serializePolicy(p: Policy): string {
  const { version: _version, allowList: _a, denyList: _d, categoryKeys: _c, ...rest } = p;
  return JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function parsePolicy(text: string, version: number): Policy {
  const raw = JSON.parse(text) as Record<string, unknown>;
  for (const field of MICROS_FIELDS) {
    const value = raw[field];
    raw[field] = typeof value === 'string' ? BigInt(value) : null;
  }
  const { allowList: _a, denyList: _d, categoryKeys: _c, ...stored } = raw;
  // Policies written before the cap on waiting requests existed take its default.
  stored.maxPending ??= DEFAULT_POLICY.max_pending;
  return withDerived({ ...(stored as unknown as Omit<Policy, 'version' | Derived>), version });
}
