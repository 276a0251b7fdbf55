/**
 * The agent API contract (`/v1`), written once: these schemas validate requests, type the
 * handlers, describe responses in the OpenAPI document and type the TypeScript client.
 */
import { z } from 'zod';
import { PERIODS, SPEND_STATUSES, WINDOW_KINDS, AGENT_STATUSES, MODES, SCOPES } from '../domain';
import {
  amountCents,
  currency,
  merchantNameText,
  nonEmptyText,
  requestAttachments,
} from './common';
import { budgetRequestView } from './budget-requests';

const isoTime = z.string().describe('ISO 8601 time');

export const spendCreateBody = z
  .strictObject({
    amount_cents: amountCents,
    currency,
    merchant_name: merchantNameText,
    reason: nonEmptyText(1000),
    ...requestAttachments,
  })
  .meta({ id: 'SpendCreate' });
export type SpendCreateBody = z.infer<typeof spendCreateBody>;

/** What a figure of budget says about itself: how much, and for which window. */
const remainingByPeriod = {
  remaining_daily_budget_cents: z.int().optional(),
  remaining_weekly_budget_cents: z.int().optional(),
  remaining_monthly_budget_cents: z.int().optional(),
  remaining_total_budget_cents: z.int().optional(),
};

export const spendRequest = z
  .object({
    id: z.string(),
    object: z.literal('spend_request'),
    status: z.enum(SPEND_STATUSES),
    decision_reason: z.string(),
    decision_rule: z.string().describe('machine-readable name of the rule that decided'),
    amount_cents: z.int(),
    amount_micros: z.int(),
    currency: z.literal('usd'),
    merchant_name: z.string(),
    reason: z.string(),
    category: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    budget_period: z.enum(PERIODS),
    remaining_budget_cents: z.int(),
    ...remainingByPeriod,
    approval_url: z.string().optional(),
    created_at: isoTime,
    decided_at: isoTime.nullable(),
    expires_at: isoTime.optional(),
    policy_version: z.int(),
    budget_request_id: z.string().nullable(),
  })
  .meta({ id: 'SpendRequest' });
export type SpendRequestView = z.infer<typeof spendRequest>;

export const fundingView = z
  .object({
    id: z.string(),
    kind: z.enum(['cash', 'onchain']),
    balance_cents: z.int(),
    limit_cents: z.int().nullable(),
    limit_period: z.enum(PERIODS).nullable(),
    limit_remaining_cents: z.int().nullable(),
  })
  .meta({ id: 'FundingSource' });

export const balance = z
  .object({
    object: z.literal('balance'),
    agent_id: z.string(),
    mode: z.enum(MODES),
    status: z.enum(AGENT_STATUSES),
    budget_period: z.enum(PERIODS),
    window_kind: z.enum(WINDOW_KINDS),
    budget_cents: z.int(),
    spent_cents: z.int(),
    remaining_budget_cents: z.int(),
    ...remainingByPeriod,
    over_budget: z.boolean(),
    window_start: isoTime,
    window_end: isoTime.nullable(),
    funding_balance_cents: z.int(),
    funding_source: fundingView,
    frozen: z.boolean(),
    active_budget_request: budgetRequestView.nullable(),
    /** GET /v1/balance only: the agent's Purser-held wallet and its USDC on each chain. */
    onchain_wallet: z
      .object({
        address: z.string(),
        balances: z.array(
          z.object({
            chain: z.string(),
            usdc_units: z.string().nullable(),
            usdc_cents: z.int().nullable(),
          }),
        ),
      })
      .nullable()
      .optional(),
  })
  .meta({ id: 'Balance' });
export type BalanceView = z.infer<typeof balance>;

export const policyView = z
  .object({
    object: z.literal('policy'),
    agent_id: z.string(),
    agent_name: z.string(),
    mode: z.enum(MODES),
    status: z.enum(AGENT_STATUSES),
    frozen: z.boolean(),
    policy_version: z.int(),
    remaining_budget_cents: z.int(),
    budget: balance.omit({ object: true, agent_id: true, mode: true, status: true, frozen: true }),
    max_transaction_cents: z.int().nullable(),
    approval_threshold_cents: z.int().nullable(),
    allow_merchants: z.array(z.string()),
    deny_merchants: z.array(z.string()),
    allowed_categories: z.array(z.string()),
    ask_on_new_merchant: z.boolean(),
    over_budget: z.enum(['decline', 'ask']),
    velocity: z.object({ max_per_hour: z.int().nullable(), used_last_hour: z.int() }),
    rate_limit_per_minute: z.int(),
    pending_expiry_hours: z.number(),
    key: z.object({
      id: z.string(),
      scopes: z.array(z.enum(SCOPES)),
      expires_at: isoTime.nullable(),
    }),
  })
  .meta({ id: 'Policy' });
export type PolicyView = z.infer<typeof policyView>;

export const faucetBody = z
  .strictObject({ amount_cents: amountCents.optional() })
  .meta({ id: 'FaucetRequest' });

export const faucetResult = z
  .object({
    object: z.literal('faucet_deposit'),
    funding_source_id: z.string(),
    amount_cents: z.int(),
    funding_balance_cents: z.int(),
    remaining_budget_cents: z.int(),
  })
  .meta({ id: 'FaucetResult' });
