import type { OverBudgetBehaviour, Period, WindowKind } from '../../../shared/domain';
import { centsToMicros, microsToCentsFloor, type Micros } from '../../../shared/money';
import type { PolicyInput } from '../../../shared/schemas/policy';

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
  askOnNewMerchant: boolean;
  overBudget: OverBudgetBehaviour;
  velocityPerHour: number | null;
  rateLimitPerMinute: number;
  pauseOnOverBudget: boolean;
}

const nullableMicros = (cents: number | null) => (cents === null ? null : centsToMicros(cents));
const nullableCents = (micros: Micros | null) =>
  micros === null ? null : microsToCentsFloor(micros);

export function policyFromInput(input: PolicyInput, version: number): Policy {
  return {
    version,
    budget: centsToMicros(input.budget_cents),
    period: input.period,
    window: input.window,
    maxTransaction: nullableMicros(input.max_transaction_cents),
    approvalThreshold: nullableMicros(input.approval_threshold_cents),
    allowMerchants: input.allow_merchants.map(normalizeMerchant),
    denyMerchants: input.deny_merchants.map(normalizeMerchant),
    allowedCategories: input.allowed_categories.map(normalizeMerchant),
    askOnNewMerchant: input.ask_on_new_merchant,
    overBudget: input.over_budget,
    velocityPerHour: input.velocity_per_hour,
    rateLimitPerMinute: input.rate_limit_per_minute,
    pauseOnOverBudget: input.pause_on_over_budget,
  };
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
  };
}

/** Merchant names and categories compare case-insensitively, ignoring outer spaces. */
export function normalizeMerchant(name: string): string {
  return name.trim().toLowerCase();
}

const MICROS_FIELDS = ['budget', 'maxTransaction', 'approvalThreshold'] as const;

/** Stored form: the policy as JSON with micros as decimal strings (exact, future-proof). */
export function serializePolicy(p: Policy): string {
  const { version: _version, ...rest } = p;
  return JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function parsePolicy(text: string, version: number): Policy {
  const raw = JSON.parse(text) as Record<string, unknown>;
  for (const field of MICROS_FIELDS) {
    const value = raw[field];
    raw[field] = typeof value === 'string' ? BigInt(value) : null;
  }
  return { ...(raw as unknown as Omit<Policy, 'version'>), version };
}
