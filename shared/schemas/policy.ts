/**
 * A policy as the owner writes it (cents, snake_case). The core stores it in micros; the
 * conversion lives in electron/core/policy/policy.ts.
 */
import { z } from 'zod';
import { OVER_BUDGET_BEHAVIOURS, PERIODS, WINDOW_KINDS } from '../domain';
import { limitCents, nonEmptyText } from './common';

const merchantPattern = nonEmptyText(253).describe(
  'an exact merchant name (case-insensitive) or a host glob such as *.openai.com',
);
const patternList = z.array(merchantPattern).max(500, { error: 'at most 500 entries' });
const addressList = z
  .array(
    z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, { error: 'must be an address: 0x and 40 hex digits' })
      .describe('a recipient address (0x and 40 hex digits)'),
  )
  .max(500, { error: 'at most 500 entries' });

/** The most warning levels one budget may have (docs/alerts.md). */
export const MAX_ALERT_LEVELS = 5;

const alertLevels = z
  .array(
    z
      .int({ error: 'must be a whole number of percent, like 80' })
      .min(1, { error: 'must be at least 1 (percent)' })
      .max(100, { error: 'must be at most 100 (percent)' }),
  )
  .max(MAX_ALERT_LEVELS, { error: `at most ${MAX_ALERT_LEVELS} levels` })
  .refine((levels) => levels.every((level, i) => i === 0 || level > (levels[i - 1] ?? 0)), {
    error: 'levels must be in increasing order, each once',
  })
  .describe(
    'warning levels in percent of the budget: reaching one raises one alert per budget window (docs/alerts.md); empty for none',
  );

export const policyFields = {
  budget_cents: limitCents.describe('budget for each period; 0 means nothing may be spent'),
  period: z.enum(PERIODS),
  window: z.enum(WINDOW_KINDS),
  max_transaction_cents: limitCents.nullable(),
  approval_threshold_cents: limitCents.nullable(),
  allow_merchants: patternList,
  deny_merchants: patternList,
  allowed_categories: z.array(nonEmptyText(64)).max(100, { error: 'at most 100 entries' }),
  ask_on_new_merchant: z.boolean(),
  allow_recipients: addressList.describe(
    'payouts may go only to these addresses; empty means any address not denied',
  ),
  deny_recipients: addressList.describe('payouts to these addresses are declined'),
  ask_on_new_recipient: z
    .boolean()
    .describe('ask the owner before the first payout of this agent to an address'),
  over_budget: z.enum(OVER_BUDGET_BEHAVIOURS),
  velocity_per_hour: z.int().min(1).max(1_000_000).nullable(),
  rate_limit_per_minute: z.int().min(1).max(1_000_000),
  pause_on_over_budget: z.boolean(),
  alert_levels_percent: alertLevels,
  max_pending: z
    .int()
    .min(1)
    .max(1_000)
    .describe(
      'how many of this agent’s requests may wait for the owner at once; past it, a request that would need approval is declined (too_many_pending)',
    ),
};

/** Every field optional: an edit names what changes, the rest carries over. */
export const policyPatch = z.strictObject(policyFields).partial();
export type PolicyPatch = z.infer<typeof policyPatch>;

export const policyInput = z.strictObject(policyFields);
export type PolicyInput = z.infer<typeof policyInput>;

/**
 * Defaults for a new agent. The budget is zero on purpose: an agent can spend nothing
 * until its owner says how much.
 */
export const DEFAULT_POLICY: PolicyInput = {
  budget_cents: 0,
  period: 'monthly',
  window: 'calendar',
  max_transaction_cents: null,
  approval_threshold_cents: null,
  allow_merchants: [],
  deny_merchants: [],
  allowed_categories: [],
  ask_on_new_merchant: false,
  allow_recipients: [],
  deny_recipients: [],
  ask_on_new_recipient: true,
  over_budget: 'decline',
  velocity_per_hour: null,
  rate_limit_per_minute: 600,
  pause_on_over_budget: false,
  alert_levels_percent: [80, 100],
  max_pending: 20,
};
