/**
 * The owner API contract (`/admin/v1`): what the window and the CLI send and receive.
 * Exact amounts travel as decimal strings of micros (`*_micros`) beside whole cents, so no
 * figure the owner sees is ever rounded by JSON.
 */
import { z } from 'zod';
import { AGENT_STATUSES, MODES, PERIODS, SCOPES, SPEND_STATUSES, WINDOW_KINDS } from '../domain';
import { amountCents, limitCents, nonEmptyText, pageLimit } from './common';
import { policyFields, policyInput, policyPatch } from './policy';
import { budgetRequestView } from './budget-requests';

/** `:id` of an owner route: the id of an agent, key, request, funding source or session. */
export const ownerIdParams = z.strictObject({ id: z.string().max(64) });

export const agentCreateBody = z.strictObject({
  name: nonEmptyText(100),
  mode: z.enum(MODES).default('live'),
  funding_source_id: z.string().max(64).optional(),
  ...z.object(policyFields).partial().shape,
});
export type AgentCreateBody = z.infer<typeof agentCreateBody>;

export { policyPatch };

export const budgetView = z.object({
  period: z.enum(PERIODS),
  window_kind: z.enum(WINDOW_KINDS),
  budget_cents: z.int(),
  spent_cents: z.int(),
  remaining_cents: z.int(),
  spent_micros: z.string(),
  over_budget: z.boolean(),
  window_start: z.string(),
  window_end: z.string().nullable(),
});

/**
 * A warning level of an agent's budget that its spend reached (docs/alerts.md): the newest
 * of the current window, or null when none was reached.
 */
export const budgetAlertView = z.object({
  level_percent: z.int(),
  /** When the level was reached. */
  at: z.string(),
  /** What the agent had spent in the window then, and its budget. */
  spent_micros: z.string(),
  budget_micros: z.string(),
  /** The window the alert stands for (for a rolling budget, its length from the alert). */
  window_start: z.string(),
  window_end: z.string().nullable(),
});
export type BudgetAlertView = z.infer<typeof budgetAlertView>;

export const agentView = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.enum(MODES),
  status: z.enum(AGENT_STATUSES),
  funding_source_id: z.string(),
  policy_version: z.int(),
  policy: policyInput,
  budget: budgetView,
  /** The newest warning level reached in this budget window, or null (docs/alerts.md). */
  budget_alert: budgetAlertView.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type AgentView = z.infer<typeof agentView>;

export const keyIssueBody = z.strictObject({
  scopes: z.array(z.enum(SCOPES)).min(1).optional(),
  label: nonEmptyText(100).optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});

export const keyView = z.object({
  id: z.string(),
  agent_id: z.string(),
  mode: z.enum(MODES),
  prefix: z.string(),
  last4: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  label: z.string().nullable(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

export const issuedKey = keyView.extend({ key: z.string() });

/**
 * What an agent can be connected to from the window (`POST /admin/v1/agents/:id/connect`):
 * the three MCP clients whose configuration Purser can write (`purser mcp install`), and
 * the ways in that get a snippet to paste.
 */
export const CONNECT_CLIENTS = [
  'claude-code',
  'claude-desktop',
  'cursor',
  'shell',
  'typescript',
  'python',
  'container',
] as const;
export type ConnectClient = (typeof CONNECT_CLIENTS)[number];
/** The clients with an MCP configuration file Purser knows where to find. */
export const MCP_CONFIG_CLIENTS = ['claude-code', 'claude-desktop', 'cursor'] as const;

/**
 * A new key for the agent and how to use it with `client`. `write_config` (MCP clients
 * only) writes Purser into the client's own configuration file, whose place the server
 * derives: no path is ever taken from the caller.
 */
export const connectBody = z.strictObject({
  client: z.enum(CONNECT_CLIENTS),
  write_config: z.boolean().optional(),
});

export const connectSnippet = z.object({
  /** What it is, or where it goes (a file name, a configuration file's path). */
  title: z.string(),
  language: z.enum(['json', 'sh', 'typescript', 'python']),
  text: z.string(),
});

export const connectAnswer = z.object({
  client: z.enum(CONNECT_CLIENTS),
  agent_id: z.string(),
  /** Where this Purser listens now. */
  url: z.string(),
  /**
   * The key issued for this connection, in plaintext, once; null when the client's
   * configuration already held a working key of this agent, which was kept.
   */
  key: issuedKey.nullable(),
  /** The key the client uses (the new one, or the one kept). */
  key_id: z.string(),
  /** MCP clients: the client's configuration file, and whether it was written. */
  config: z
    .object({
      path: z.string(),
      written: z.boolean(),
      /** `unchanged`: it already held a working key of this agent; nothing was written. */
      status: z.enum(['installed', 'updated', 'unchanged']).nullable(),
      /** The previous file, kept beside it. */
      backup: z.string().nullable(),
    })
    .nullable(),
  /** What to paste, key and URL filled in; empty when the configuration was written. */
  snippets: z.array(connectSnippet),
  /** What else to know or do (restart the client, start the agent socket, …). */
  notes: z.array(z.string()),
});
export type ConnectAnswer = z.infer<typeof connectAnswer>;

export const fundingSourceView = z.object({
  id: z.string(),
  kind: z.enum(['cash', 'onchain']),
  mode: z.enum(MODES),
  name: z.string(),
  is_default: z.boolean(),
  balance_cents: z.int(),
  balance_micros: z.string(),
  limit_cents: z.int().nullable(),
  limit_period: z.enum(PERIODS).nullable(),
  limit_window: z.enum(WINDOW_KINDS).nullable(),
});

export const depositBody = z.strictObject({
  amount_cents: amountCents,
  funding_source_id: z.string().max(64).optional(),
  mode: z.enum(MODES).optional(),
});

export const fundingLimitBody = z.strictObject({
  limit_cents: limitCents.nullable(),
  period: z.enum(PERIODS).optional(),
  window: z.enum(WINDOW_KINDS).optional(),
});

export const settingsView = z.object({
  time_zone: z.string(),
  frozen: z.boolean(),
  pending_expiry_hours: z.number(),
  notifications: z.boolean(),
  start_at_login: z.boolean(),
  global_cap: z
    .object({ amount_cents: z.int(), period: z.enum(PERIODS), window: z.enum(WINDOW_KINDS) })
    .nullable(),
});

export const settingsPatch = z.strictObject({
  time_zone: nonEmptyText(64).optional(),
  pending_expiry_hours: z
    .number()
    .min(0.01)
    .max(24 * 30)
    .optional(),
  notifications: z.boolean().optional(),
  start_at_login: z.boolean().optional(),
  global_cap: z
    .strictObject({
      amount_cents: limitCents,
      period: z.enum(PERIODS),
      window: z.enum(WINDOW_KINDS).default('calendar'),
    })
    .nullable()
    .optional(),
});

export const ledgerQuery = z.strictObject({
  agent_id: z.string().max(64).optional(),
  type: z.string().max(64).optional(),
  status: z.string().max(64).optional(),
  merchant: z.string().max(253).optional(),
  rail: z.string().max(32).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before_seq: z
    .string()
    .regex(/^\d{1,18}$/)
    .transform(Number)
    .optional(),
  limit: pageLimit.optional(),
});

export const ledgerEntryView = z.object({
  seq: z.int(),
  ts: z.string(),
  type: z.string(),
  actor: z.string(),
  mode: z.string().nullable(),
  agent_id: z.string().nullable(),
  object_id: z.string().nullable(),
  amount_micros: z.string().nullable(),
  counted_micros: z.string(),
  status: z.string().nullable(),
  merchant: z.string().nullable(),
  rail: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
});
export type LedgerEntryView = z.infer<typeof ledgerEntryView>;

/** The same filters, and the file's format. */
export const ledgerExportQuery = ledgerQuery.extend({
  format: z.enum(['csv', 'json']).default('json'),
});

/** What a chain verification found (docs/ledger-format.md). */
export const verifyView = z.object({
  ok: z.boolean(),
  entries: z.int(),
  head_seq: z.int(),
  head_hash: z.string(),
  first_bad: z.object({ seq: z.int(), problem: z.string(), message: z.string() }).nullable(),
});

/** `POST /admin/v1/ledger/verify?wait=false` answers at once (202) with the progress. */
export const verifyQuery = z.strictObject({ wait: z.enum(['true', 'false']).optional() });

/**
 * The verification under way, or the last one. `run` counts verifications since the server
 * started (0: none yet); `checked` of `total` entries so far; `result` is the last finished
 * run's, `error` why it could not finish.
 */
export const verifyStatusView = z.object({
  run: z.int(),
  running: z.boolean(),
  checked: z.int(),
  total: z.int(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  result: verifyView.nullable(),
  error: z.string().nullable(),
});

export const approvalImpactView = z.object({
  period: z.enum(PERIODS),
  budget_cents: z.int(),
  spent_cents: z.int(),
  spent_after_cents: z.int(),
  exceeds_budget: z.boolean(),
  over_by_cents: z.int(),
  hard_limit: z.object({ code: z.string(), reason: z.string() }).nullable(),
});

export const ownerSpendView = z.object({
  id: z.string(),
  agent_id: z.string(),
  agent_name: z.string(),
  status: z.enum(SPEND_STATUSES),
  decision_reason: z.string(),
  decision_rule: z.string(),
  amount_cents: z.int(),
  amount_micros: z.string(),
  /** As the agent sent it. */
  merchant_name: z.string(),
  /** The normalised key the allow/deny lists compared (docs/merchant-identity.md). */
  merchant_key: z.string(),
  reason: z.string(),
  category: z.string().nullable(),
  created_at: z.string(),
  decided_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  policy_version: z.int(),
  owner_comment: z.string().nullable(),
  budget_request_id: z.string().nullable(),
  /** For pending requests: what approving would do. */
  impact: approvalImpactView.nullable(),
  /** For an x402 payment: what would be signed, and to whom (docs/chain.md). */
  x402: z
    .object({
      /** x402, or MPP's evm charge (docs/mpp.md): the same kind of signed transfer. */
      protocol: z.enum(['x402', 'mpp']),
      /** `upto`: the amount is a maximum; what is used is paid (docs/chain.md). */
      scheme: z.enum(['exact', 'upto']),
      payment_id: z.string(),
      status: z.string(),
      resource_url: z.string(),
      host: z.string(),
      pay_to: z.string(),
      /** Whether this agent's wallet has paid this payee before. */
      paid_before: z.boolean(),
      network: z.string(),
      asset: z.string(),
      amount_units: z.string(),
      amount_cents: z.int(),
    })
    .nullable(),
  /** For a payout (docs/payouts.md): who would be paid, on which chain, in what. */
  payout: z
    .object({
      payout_id: z.string(),
      status: z.string(),
      recipient_id: z.string().nullable(),
      /** The address book's name, if the recipient is saved. */
      recipient_name: z.string().nullable(),
      address: z.string(),
      /** A saved recipient whose address this unsaved one imitates. */
      lookalike_of: z.object({ name: z.string(), address: z.string() }).nullable(),
      /** Whether this agent has paid this address before. */
      paid_before: z.boolean(),
      chain: z.string(),
      network: z.string(),
      asset: z.string(),
      amount_units: z.string(),
      amount_cents: z.int(),
    })
    .nullable(),
});
export type OwnerSpendView = z.infer<typeof ownerSpendView>;

export const spendListQuery = z.strictObject({ status: z.enum(SPEND_STATUSES).optional() });

export const ownerBudgetRequestView = budgetRequestView.extend({
  agent_id: z.string(),
  agent_name: z.string(),
});
export type OwnerBudgetRequestView = z.infer<typeof ownerBudgetRequestView>;

export const approveSpendBody = z.strictObject({
  comment: nonEmptyText(1000).optional(),
  override_budget: z.boolean().optional(),
});

export const declineBody = z.strictObject({ comment: nonEmptyText(1000).optional() });

export const approveBudgetRequestBody = z.strictObject({
  amount_cents: amountCents.optional(),
  hours: z
    .number()
    .positive()
    .max(24 * 365)
    .optional(),
  comment: nonEmptyText(1000).optional(),
});

export const rejectBudgetRequestBody = z.strictObject({ reason: nonEmptyText(1000).optional() });
