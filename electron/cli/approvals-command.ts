import { showMatchedKey } from '../../shared/merchant';
import { Command } from 'commander';
import type { OwnerAnswer } from '../../shared/contract/owner';
import type { BudgetRequestStatus } from '../../shared/domain';
import { globals } from './globals';
import { CliError, ownerClient } from './owner-client';
import { emit, quoted, usd, visible, wholeNumber } from './output';

type OwnerSpendView = OwnerAnswer<'getSpendRequest'>;
type OwnerBudgetRequestView = OwnerAnswer<'approveBudgetRequest'>;

const spendLine = (r: OwnerSpendView) => {
  const impact = r.impact
    ? r.impact.hard_limit
      ? `  (cannot be approved: ${visible(r.impact.hard_limit.code)})`
      : r.impact.exceeds_budget
        ? `  (over the ${r.impact.period} budget by ${usd(r.impact.over_by_cents)}: needs --override-budget)`
        : `  (leaves ${usd(r.impact.budget_cents - r.impact.spent_after_cents)} of ${usd(r.impact.budget_cents)} ${r.impact.period})`
    : '';
  // The merchant is quoted like the reason, so its spaces cannot fake extra columns, and
  // shown with the key it was matched as when that says something (shared/merchant.ts).
  const key = showMatchedKey(r.merchant_name, r.merchant_key)
    ? ` (matched as ${quoted(r.merchant_key)})`
    : '';
  return `${r.id}  ${visible(r.agent_name)}  ${usd(r.amount_cents)}  ${quoted(r.merchant_name)}${key}  ${quoted(r.reason)}  ${r.status}${impact}`;
};

/** A decided request, with the decision in words (the owner's comment is part of it). */
const decidedLine = (r: OwnerSpendView) => `${spendLine(r)}  ${visible(r.decision_reason)}`;

const budgetLine = (r: OwnerBudgetRequestView) =>
  `${r.id}  ${visible(r.agent_name)}  ${usd(r.requested_amount_cents)}  ${quoted(r.purpose)}  ${r.status}` +
  (r.approved_amount_cents === null
    ? ''
    : `  ${usd(r.spent_cents)} of ${usd(r.approved_amount_cents)} spent`);

/** A decided budget request, with what the owner wrote on it. */
const decidedBudgetLine = (r: OwnerBudgetRequestView) =>
  `${budgetLine(r)}${r.status === 'approved' ? ` until ${r.expires_at}` : ''}${r.comment === null ? '' : `  ${quoted(r.comment)}`}`;

/** `purser approvals list`, `purser approve`, `purser decline`. */
export function approvalCommands(): Command[] {
  const approvals = new Command('approvals').description('what waits for you (owner)');
  approvals
    .command('list')
    .description('pending spend requests and budget requests, newest first')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd);
      const pending = await ownerClient(g.home).call('listApprovals');
      emit(!!g.json, pending, () => {
        const lines = [
          ...pending.spend_requests.map(spendLine),
          ...pending.budget_requests.map(budgetLine),
        ];
        return lines.length ? lines.join('\n') : 'nothing waits for you';
      });
    });

  const approve = new Command('approve')
    .description('approve a pending spend request')
    .argument('<requestId>')
    .option('--comment <text>', 'a note, kept on the request and the ledger')
    .option(
      '--override-budget',
      'approve even though it goes over the budget (recorded as an override)',
    )
    .action(async (id: string, o: { comment?: string; overrideBudget?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const r = await ownerClient(g.home)
        .call('approveSpend', {
          params: { id },
          body: { comment: o.comment, override_budget: o.overrideBudget },
        })
        .catch((error: unknown) => {
          // The refusal's text is shared with the window, which has a button for the
          // override; here the way to it is a flag, so say which.
          if (error instanceof CliError && error.envelope?.error.details.override_required)
            throw new CliError(
              `${error.message} Here that is: purser approve ${id} --override-budget`,
              error.exitCode,
              error.envelope,
            );
          throw error;
        });
      emit(!!g.json, r, () => decidedLine(r));
    });

  const decline = new Command('decline')
    .description('decline a pending spend request')
    .argument('<requestId>')
    .option('--comment <text>', 'why, for the agent and the ledger')
    .action(async (id: string, o: { comment?: string }, cmd: Command) => {
      const g = globals(cmd);
      const r = await ownerClient(g.home).call('declineSpend', {
        params: { id },
        body: { comment: o.comment },
      });
      emit(!!g.json, r, () => decidedLine(r));
    });
  return [approvals, approve, decline];
}

/** `purser budget-requests list|approve|reject`. */
export function budgetRequestsCommand(): Command {
  const budgets = new Command('budget-requests').description(
    "agents' requests for a budget (owner)",
  );
  budgets
    .command('list')
    .option('--status <s>', 'pending, approved, rejected, expired or exhausted')
    // The status is not checked here: the server refuses another word and says which it takes.
    .action(async (o: { status?: BudgetRequestStatus }, cmd: Command) => {
      const g = globals(cmd);
      const { budget_requests: list } = await ownerClient(g.home).call('listBudgetRequests', {
        query: { status: o.status || undefined },
      });
      emit(!!g.json, list, () =>
        list.length ? list.map(budgetLine).join('\n') : 'no budget requests',
      );
    });
  budgets
    .command('approve <id>')
    .description('approve, optionally with another amount and window')
    .option(
      '--amount-cents <n>',
      'approve this amount instead of the one asked for',
      wholeNumber('--amount-cents'),
    )
    .option('--hours <h>', 'how long the budget lasts (default 24)', Number)
    .option('--comment <text>')
    .action(
      async (
        id: string,
        o: { amountCents?: number; hours?: number; comment?: string },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const r = await ownerClient(g.home).call('approveBudgetRequest', {
          params: { id },
          body: { amount_cents: o.amountCents, hours: o.hours, comment: o.comment },
        });
        emit(!!g.json, r, () => decidedBudgetLine(r));
      },
    );
  budgets
    .command('reject <id>')
    .option('--reason <text>')
    .action(async (id: string, o: { reason?: string }, cmd: Command) => {
      const g = globals(cmd);
      const r = await ownerClient(g.home).call('rejectBudgetRequest', {
        params: { id },
        body: { reason: o.reason },
      });
      emit(!!g.json, r, () => decidedBudgetLine(r));
    });
  return budgets;
}
