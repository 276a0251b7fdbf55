/**
 * The policy form of the Agents page: a draft of strings, parsed and validated with the
 * API's own schemas, and the API's refusals in plain words. Pure functions, tested as such.
 */
import type { ErrorEnvelope } from '../../../shared/errors';
import { agentCreateBody, type AgentView } from '../../../shared/schemas/owner-api';
import {
  DEFAULT_POLICY,
  policyPatch,
  type PolicyInput,
  type PolicyPatch,
} from '../../../shared/schemas/policy';
import type { Mode, OverBudgetBehaviour, Period, WindowKind } from '../../../shared/domain';
import { NOT_LOGGED_IN, OwnerApiError, type AgentCreateInput } from '../api/client';

/* ----------------------------------------------------------------------------------------
 * The policy form: a draft of strings, parsed and validated with the API's own schemas
 * ------------------------------------------------------------------------------------- */

/** The form as typed. Money in dollars ("12.50"), lists one entry per line. */
export interface PolicyDraft {
  name: string;
  mode: Mode;
  budget: string;
  period: Period;
  window: WindowKind;
  max_transaction: string;
  approval_threshold: string;
  allow_merchants: string;
  deny_merchants: string;
  allowed_categories: string;
  ask_on_new_merchant: boolean;
  allow_recipients: string;
  deny_recipients: string;
  ask_on_new_recipient: boolean;
  over_budget: OverBudgetBehaviour;
  velocity_per_hour: string;
  rate_limit_per_minute: string;
  pause_on_over_budget: boolean;
  /** Percents separated by commas ("80, 100"); empty for none. */
  alert_levels: string;
  max_pending: string;
}
export type DraftField = keyof PolicyDraft;

/** The API's field for each field of the form. */
export const API_FIELD: Record<DraftField, string> = {
  name: 'name',
  mode: 'mode',
  budget: 'budget_cents',
  period: 'period',
  window: 'window',
  max_transaction: 'max_transaction_cents',
  approval_threshold: 'approval_threshold_cents',
  allow_merchants: 'allow_merchants',
  deny_merchants: 'deny_merchants',
  allowed_categories: 'allowed_categories',
  ask_on_new_merchant: 'ask_on_new_merchant',
  allow_recipients: 'allow_recipients',
  deny_recipients: 'deny_recipients',
  ask_on_new_recipient: 'ask_on_new_recipient',
  over_budget: 'over_budget',
  velocity_per_hour: 'velocity_per_hour',
  rate_limit_per_minute: 'rate_limit_per_minute',
  pause_on_over_budget: 'pause_on_over_budget',
  alert_levels: 'alert_levels_percent',
  max_pending: 'max_pending',
};
const DRAFT_FIELD = Object.fromEntries(
  Object.entries(API_FIELD).map(([draft, apiName]) => [apiName, draft]),
) as Record<string, DraftField>;

/** What the form calls each field, in the errors too. */
export const FIELD_LABEL: Record<DraftField, string> = {
  name: 'Name',
  mode: 'Mode',
  budget: 'Budget',
  period: 'Period',
  window: 'Window',
  max_transaction: 'Largest single purchase',
  approval_threshold: 'Ask me at or above',
  allow_merchants: 'Allowed merchants',
  deny_merchants: 'Blocked merchants',
  allowed_categories: 'Allowed categories',
  ask_on_new_merchant: 'Ask before a new merchant',
  allow_recipients: 'Allowed payout addresses',
  deny_recipients: 'Blocked payout addresses',
  ask_on_new_recipient: 'Ask before a first payout to an address',
  over_budget: 'Over budget',
  velocity_per_hour: 'Purchases per hour',
  rate_limit_per_minute: 'Requests per minute',
  pause_on_over_budget: 'Pause when over budget',
  alert_levels: 'Alert me at (% of budget)',
  max_pending: 'Requests waiting at once',
};

const MONEY_FIELDS = new Set<DraftField>(['budget', 'max_transaction', 'approval_threshold']);
const LIST_FIELDS = new Set<DraftField>([
  'allow_merchants',
  'deny_merchants',
  'allowed_categories',
  'allow_recipients',
  'deny_recipients',
]);

/** Whole cents as the form shows them: "12.50", "0.00". Integer arithmetic only. */
export function centsToDollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Dollars as typed ("12.5", "$1,200", "0") to cents, from the digits, never through a
 * float. A comma is only a thousands separator in whole groups of three ("1,200",
 * "12,345.60"): "120,50" or "1,5" — a decimal comma in many locales — gives NaN rather
 * than $12,050 or $15. Digits past the cent that are not all zero give a value half a
 * cent off a whole cent (never a rounded one), which the API's schema refuses as not
 * whole cents, as it refuses the NaN of anything that is not a number.
 */
export function dollarsToCents(text: string): number {
  const t = text.trim().replace(/^\$/, '');
  const match = /^(-?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/.exec(t);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return Number.NaN;
  const [, sign = '', grouped = '', frac = ''] = match;
  const whole = grouped.replace(/,/g, '');
  const cents = Number(`${whole || '0'}${frac.slice(0, 2).padEnd(2, '0')}`);
  const subCent = /[1-9]/.test(frac.slice(2)) ? 0.5 : 0;
  const value = cents + subCent;
  return sign === '-' ? -value : value;
}

/** A whole number as typed; NaN (refused by the schema) when it is not one. */
function wholeNumber(text: string): number {
  const t = text.trim().replace(/,/g, '');
  return /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
}

/**
 * Percents as typed ("80, 100", "100 80%", "") in increasing order, each once: the order
 * they are typed in does not matter. Anything that is not a whole number stays NaN for the
 * schema to refuse, in place.
 */
export function percentList(text: string): number[] {
  const levels = text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map((part) => wholeNumber(part.replace(/%$/, '')));
  if (levels.some(Number.isNaN)) return levels;
  return [...new Set(levels)].sort((a, b) => a - b);
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The form filled in from a policy (the defaults of a new agent when none). */
export function draftOf(
  policy: PolicyInput = DEFAULT_POLICY,
  agent?: Pick<AgentView, 'name' | 'mode'>,
): PolicyDraft {
  const money = (cents: number | null) => (cents === null ? '' : centsToDollars(cents));
  return {
    name: agent?.name ?? '',
    mode: agent?.mode ?? 'live',
    budget: centsToDollars(policy.budget_cents),
    period: policy.period,
    window: policy.window,
    max_transaction: money(policy.max_transaction_cents),
    approval_threshold: money(policy.approval_threshold_cents),
    allow_merchants: policy.allow_merchants.join('\n'),
    deny_merchants: policy.deny_merchants.join('\n'),
    allowed_categories: policy.allowed_categories.join('\n'),
    ask_on_new_merchant: policy.ask_on_new_merchant,
    allow_recipients: policy.allow_recipients.join('\n'),
    deny_recipients: policy.deny_recipients.join('\n'),
    ask_on_new_recipient: policy.ask_on_new_recipient,
    over_budget: policy.over_budget,
    velocity_per_hour: policy.velocity_per_hour === null ? '' : String(policy.velocity_per_hour),
    rate_limit_per_minute: String(policy.rate_limit_per_minute),
    pause_on_over_budget: policy.pause_on_over_budget,
    alert_levels: policy.alert_levels_percent.join(', '),
    max_pending: String(policy.max_pending),
  };
}

/** The policy fields of the draft, as the API takes them (before validation). */
function policyFieldsOf(d: PolicyDraft): Record<keyof PolicyInput, unknown> {
  const money = (text: string) => (text.trim() === '' ? null : dollarsToCents(text));
  return {
    budget_cents: dollarsToCents(d.budget),
    period: d.period,
    window: d.window,
    max_transaction_cents: money(d.max_transaction),
    approval_threshold_cents: money(d.approval_threshold),
    allow_merchants: lines(d.allow_merchants),
    deny_merchants: lines(d.deny_merchants),
    allowed_categories: lines(d.allowed_categories),
    ask_on_new_merchant: d.ask_on_new_merchant,
    allow_recipients: lines(d.allow_recipients),
    deny_recipients: lines(d.deny_recipients),
    ask_on_new_recipient: d.ask_on_new_recipient,
    over_budget: d.over_budget,
    velocity_per_hour: d.velocity_per_hour.trim() === '' ? null : wholeNumber(d.velocity_per_hour),
    rate_limit_per_minute: wholeNumber(d.rate_limit_per_minute),
    pause_on_over_budget: d.pause_on_over_budget,
    alert_levels_percent: percentList(d.alert_levels),
    max_pending: wholeNumber(d.max_pending),
  };
}

/** Errors by field, each in plain words ("Must not be negative."), and one summary line. */
export interface FormErrors {
  fields: Partial<Record<DraftField, string>>;
  summary: string;
}

export type Parsed<T> = { ok: true; body: T } | { ok: false; errors: FormErrors };

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * A validation message as a person reads it. The schemas' own messages are plain already
 * ("must not be negative"); zod's defaults are not ("Too small: expected number to be
 * >=1"), and amounts are typed in dollars where the schema speaks of cents.
 */
export function plainMessage(field: DraftField | null, message: string): string {
  let m = message.trim();
  let match: RegExpExecArray | null;
  const n = (digits: string) => Number(digits).toLocaleString('en-US');
  if (field && MONEY_FIELDS.has(field)) {
    if (/whole number of cents/.test(m))
      return 'must be an amount in dollars with at most two decimals, like 25 or 12.50';
    if ((match = /^must be at most \d+ cents \((.+)\)$/.exec(m)))
      return `must be at most ${match[1]}`;
  }
  if ((match = /^Too small: expected \w+ to be >=\s*(-?\d+)/.exec(m)))
    return `must be at least ${n(match[1] ?? '')}`;
  if ((match = /^Too small: expected \w+ to be >\s*(-?\d+)/.exec(m)))
    return `must be more than ${n(match[1] ?? '')}`;
  if ((match = /^Too big: expected \w+ to be <=\s*(-?\d+)/.exec(m)))
    return `must be at most ${n(match[1] ?? '')}`;
  if ((match = /^Too big: expected \w+ to be <\s*(-?\d+)/.exec(m)))
    return `must be less than ${n(match[1] ?? '')}`;
  if (/^Invalid input: expected (int|number)/.test(m)) return 'must be a whole number, like 10';
  if (/^Invalid input: expected boolean/.test(m)) return 'must be on or off';
  if (/^Invalid input: expected string/.test(m)) return 'must be text';
  if ((match = /^Invalid option: expected one of (.+)$/.exec(m)))
    return `must be one of ${(match[1] ?? '').replace(/"/g, '').split('|').join(', ')}`;
  if (/^Unrecognized key/.test(m)) return 'is not a setting Purser knows';
  m = m.replace(/\.$/, '');
  return m;
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/** Issues (from zod here, or the API's `details.issues`) as form errors. */
function formErrorsOf(issues: Issue[], lead: string): FormErrors {
  const fields: Partial<Record<DraftField, string>> = {};
  const words: string[] = [];
  for (const issue of issues) {
    const [first, index] = issue.path;
    const field = DRAFT_FIELD[String(first)] ?? null;
    let text = plainMessage(field, issue.message);
    if (field && LIST_FIELDS.has(field) && typeof index === 'number')
      text = `entry ${index + 1}: ${text}`;
    if (field === null) {
      words.push(sentence(text));
      continue;
    }
    if (fields[field] !== undefined) continue; // one message per field: the first
    fields[field] = sentence(text);
    words.push(`${FIELD_LABEL[field]}: ${text}.`);
  }
  return { fields, summary: `${lead} ${words.join(' ')}`.trim() };
}

/** A field named as the API names it ("allow_merchants.3") as the path of an issue. */
const pathOf = (field: string): PropertyKey[] =>
  field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));

/**
 * Why the API refused a form, in plain words, attached to the fields it names: a schema
 * failure's `details.issues`, a bad text's `details.field`, a body over the size limit.
 * Anything else is the API's own message, which is written for people.
 */
export function apiFormErrors(error: unknown): FormErrors {
  if (!(error instanceof OwnerApiError)) {
    const text = error instanceof Error ? error.message : String(error);
    return { fields: {}, summary: `Purser could not be reached (${text}). Try again.` };
  }
  if (error.notLoggedIn) return { fields: {}, summary: NOT_LOGGED_IN };
  const envelope: ErrorEnvelope | undefined = error.envelope;
  if (!envelope) return { fields: {}, summary: `Purser refused it (HTTP ${error.status}).` };
  const { message, details } = envelope.error;
  const lead = 'Purser refused it:';
  const issues = details.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return formErrorsOf(
      (issues as Array<{ field?: unknown; message?: unknown }>).map((i) => ({
        path: pathOf(String(i.field ?? '')),
        message: String(i.message ?? 'is invalid'),
      })),
      lead,
    );
  }
  if (error.status === 413) {
    const limit = typeof details.limit_bytes === 'number' ? details.limit_bytes : null;
    const size = limit === null ? '' : ` (at most ${Math.floor(limit / 1024)} KiB)`;
    return {
      fields: {},
      summary: `${lead} ${message.replace(/\.$/, '')}${size}. Shorten the merchant and category lists.`,
    };
  }
  if (typeof details.field === 'string') {
    const [first] = pathOf(details.field);
    const field = DRAFT_FIELD[String(first)];
    if (field) return { fields: { [field]: sentence(message) }, summary: `${lead} ${message}` };
  }
  return { fields: {}, summary: `${lead} ${message}` };
}

const CHECK_LEAD = 'Check the form:';

/** A new agent: the draft checked with the schema `POST /admin/v1/agents` uses. */
export function parseCreate(d: PolicyDraft): Parsed<AgentCreateInput> {
  const body = { name: d.name, mode: d.mode, ...policyFieldsOf(d) };
  const result = agentCreateBody.safeParse(body);
  if (!result.success) return { ok: false, errors: formErrorsOf(result.error.issues, CHECK_LEAD) };
  return { ok: true, body: result.data };
}

/**
 * An edit: the fields that differ from `current`, checked with the schema
 * `PATCH /admin/v1/agents/:id/policy` uses. An empty patch means nothing changed.
 */
export function parsePolicyEdit(d: PolicyDraft, current: PolicyInput): Parsed<PolicyPatch> {
  const fields = policyFieldsOf(d);
  const patch: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const before = current[name as keyof PolicyInput];
    if (JSON.stringify(value) !== JSON.stringify(before) || Number.isNaN(value))
      patch[name] = value;
  }
  const result = policyPatch.safeParse(patch);
  if (!result.success) return { ok: false, errors: formErrorsOf(result.error.issues, CHECK_LEAD) };
  return { ok: true, body: result.data };
}
