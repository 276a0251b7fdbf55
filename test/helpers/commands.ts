/**
 * The core takes domain commands (docs/architecture.md); tests that call its services
 * directly write their input as the API's bodies and translate it the way the routes do
 * (electron/api/commands.ts), so that a test reads like a request.
 */
import {
  agentCommandOf,
  budgetRequestCommandOf,
  receiptCommandOf,
  spendCommandOf,
} from '../../electron/api/commands';
import { rulesFromInput } from '../../electron/core/policy/policy';
import { centsToMicros } from '../../shared/money';
import type { SpendCreateBody } from '../../shared/schemas/agent-api';
import type { AgentCreateBody } from '../../shared/schemas/owner-api';
import type { PolicyPatch } from '../../shared/schemas/policy';

export const agentCommand = (body: Partial<AgentCreateBody>) =>
  agentCommandOf({ name: 'agent', mode: 'live', ...body });

export const spendCommand = (body: Omit<SpendCreateBody, 'currency'> & { currency?: string }) =>
  spendCommandOf({ currency: 'usd', ...body });

export const receiptCommand = receiptCommandOf;
export const budgetRequestCommand = budgetRequestCommandOf;
export const policyChange = (patch: PolicyPatch) => rulesFromInput(patch);

/** The owner's approval of a budget request, with the amount in cents as the API takes it. */
export const grantCommand = (g: { amountCents?: number; hours?: number; comment?: string }) => ({
  amount: g.amountCents === undefined ? undefined : centsToMicros(g.amountCents),
  hours: g.hours,
  comment: g.comment,
});
