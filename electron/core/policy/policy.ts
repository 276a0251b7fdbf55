import type { OverBudgetBehaviour, Period, WindowKind } from '../../../shared/domain';
import { centsToMicros, microsToCentsFloor, type Micros } from '../../../shared/money';
import { DEFAULT_POLICY, type PolicyInput } from '../../../shared/schemas/policy';
import { getAddress } from 'viem';
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
  /** Payout recipients (docs/payouts.md), checksummed addresses. */
  allowRecipients: readonly string[];
  denyRecipients: readonly string[];
  askOnNewRecipient: boolean;
  overBudget: OverBudgetBehaviour;
  velocityPerHour: number | null;
  rateLimitPerMinute: number;
  pauseOnOverBudget: boolean;
  /** Requests of this agent that may wait for the owner at once (docs/money-integrity.md). */
  maxPending: number;
  /** Warning levels in percent of the budget, increasing (docs/alerts.md). */
  alertLevels: readonly number[];
  /**
   * Derived, never stored: the spend at which each level is reached, ceil(budget × level /
   * 100), increasing; none when the budget is zero. Counting compares against these only.
   */
  alertThresholds: readonly AlertThreshold[];
}

/** A warning level and the spend (micros) at which it is reached. */
export interface AlertThreshold {
  level: number;
  micros: Micros;
}

const nullableMicros = (cents: number | null) => (cents === null ? null : centsToMicros(cents));
const nullableCents = (micros: Micros | null) =>
  micros === null ? null : microsToCentsFloor(micros);

/** The fields derived from the stored lists; see `Policy.allowList`. */
type Derived = 'allowList' | 'denyList' | 'categoryKeys' | 'alertThresholds';

function withDerived(p: Omit<Policy, Derived>): Policy {
  return {
    ...p,
    allowList: compileMerchantList(p.allowMerchants),
    denyList: compileMerchantList(p.denyMerchants),
    categoryKeys: new Set(p.allowedCategories.map(normalizeText)),
    alertThresholds: alertThresholdsOf(p.budget, p.alertLevels),
  };
}

/** Where each level is reached: the least spend s with s × 100 ≥ budget × level. */
export function alertThresholdsOf(budget: Micros, levels: readonly number[]): AlertThreshold[] {
  if (budget <= 0n) return [];
  return levels.map((level) => ({ level, micros: (budget * BigInt(level) + 99n) / 100n }));
}

/** A policy's rules, as the core takes them: micro-dollars and camelCase. */
export type PolicyRules = Omit<Policy, 'version' | Derived>;

/**
 * Each rule's field in a policy as the owner writes it (cents, snake_case, shared/schemas/
 * policy.ts), and how it is read from there: the owner API's routes translate a body into
 * rules with `rulesFromInput`, the core keeps rules only.
 */
const FROM_INPUT: { [K in keyof PolicyRules]: [keyof PolicyInput, (v: never) => PolicyRules[K]] } =
  {
    budget: ['budget_cents', (v: number) => centsToMicros(v)],
    period: ['period', (v: PolicyInput['period']) => v],
    window: ['window', (v: PolicyInput['window']) => v],
    maxTransaction: ['max_transaction_cents', (v: number | null) => nullableMicros(v)],
    approvalThreshold: ['approval_threshold_cents', (v: number | null) => nullableMicros(v)],
    allowMerchants: ['allow_merchants', (v: string[]) => v.map(listEntry)],
    denyMerchants: ['deny_merchants', (v: string[]) => v.map(listEntry)],
    allowedCategories: ['allowed_categories', (v: string[]) => v.map(listEntry)],
    askOnNewMerchant: ['ask_on_new_merchant', (v: boolean) => v],
    allowRecipients: ['allow_recipients', (v: string[]) => v.map((a) => getAddress(a))],
    denyRecipients: ['deny_recipients', (v: string[]) => v.map((a) => getAddress(a))],
    askOnNewRecipient: ['ask_on_new_recipient', (v: boolean) => v],
    overBudget: ['over_budget', (v: PolicyInput['over_budget']) => v],
    velocityPerHour: ['velocity_per_hour', (v: number | null) => v],
    rateLimitPerMinute: ['rate_limit_per_minute', (v: number) => v],
    pauseOnOverBudget: ['pause_on_over_budget', (v: boolean) => v],
    alertLevels: ['alert_levels_percent', (v: number[]) => [...v]],
    maxPending: ['max_pending', (v: number) => v],
  };

/** The rules a (partial) policy body names; the fields it leaves out are left out. */
export function rulesFromInput(input: Partial<PolicyInput>): Partial<PolicyRules> {
  const rules: Record<string, unknown> = {};
  for (const [rule, [field, read]] of Object.entries(FROM_INPUT)) {
    const value = input[field];
    if (value !== undefined) rules[rule] = (read as (v: unknown) => unknown)(value);
  }
  return rules as Partial<PolicyRules>;
}

/** The rules of a new agent (DEFAULT_POLICY, in the core's units). */
export const DEFAULT_RULES = rulesFromInput(DEFAULT_POLICY) as PolicyRules;

/** A policy version from its rules. */
export function policyOf(rules: PolicyRules, version: number): Policy {
  return withDerived({ ...rules, version });
}

export function policyFromInput(input: PolicyInput, version: number): Policy {
  return policyOf(rulesFromInput(input) as PolicyRules, version);
}

/** The fields of `change`, as the owner reads them in `policy` (for the ledger). */
export function changedInput(policy: Policy, change: Partial<PolicyRules>): Partial<PolicyInput> {
  const all = policyToInput(policy);
  return Object.fromEntries(
    Object.keys(change).map((rule) => {
      const field = FROM_INPUT[rule as keyof PolicyRules][0];
      return [field, all[field]];
    }),
  );
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
    allow_recipients: [...p.allowRecipients],
    deny_recipients: [...p.denyRecipients],
    ask_on_new_recipient: p.askOnNewRecipient,
    over_budget: p.overBudget,
    velocity_per_hour: p.velocityPerHour,
    rate_limit_per_minute: p.rateLimitPerMinute,
    pause_on_over_budget: p.pauseOnOverBudget,
    alert_levels_percent: [...p.alertLevels],
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
  const {
    version: _version,
    allowList: _a,
    denyList: _d,
    categoryKeys: _c,
    alertThresholds: _t,
    ...rest
  } = p;
  return JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function parsePolicy(text: string, version: number): Policy {
  const raw = JSON.parse(text) as Record<string, unknown>;
  for (const field of MICROS_FIELDS) {
    const value = raw[field];
    raw[field] = typeof value === 'string' ? BigInt(value) : null;
  }
  const { allowList: _a, denyList: _d, categoryKeys: _c, alertThresholds: _t, ...stored } = raw;
  // Policies written before the cap on waiting requests existed take its default.
  stored.maxPending ??= DEFAULT_POLICY.max_pending;
  // … and those written before payouts, the recipient rules' defaults (ask before a first).
  stored.allowRecipients ??= [];
  stored.denyRecipients ??= [];
  stored.askOnNewRecipient ??= DEFAULT_POLICY.ask_on_new_recipient;
  // … and those written before budget alerts, the default warning levels (docs/alerts.md).
  stored.alertLevels ??= [...DEFAULT_POLICY.alert_levels_percent];
  return withDerived({ ...(stored as unknown as Omit<Policy, 'version' | Derived>), version });
}
