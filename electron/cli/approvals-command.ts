import { showMatchedKey } from '../../shared/merchant';
import { Command } from 'commander';
import type { OwnerAnswer } from '../../shared/contract/owner';
import type { BudgetRequestStatus } from '../../shared/domain';
import { ownerAction, type OwnerCalls } from './owner-action';
import { CliError } from './cli-error';
import { quoted, usd, visible, wholeNumber } from './output';

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
    .description(
      'everything that waits for you, by agent: pending spend requests (every page), budget requests, receipts to review',
    )
    .option('--agent <id>', 'only this agent')
    .action(
      ownerAction(
        async (client, o: { agent?: string }) => {
          const groups = await everyPending(client, o.agent);
          // For programs: the groups, and every item of them in one list each, newest first.
          const newestFirst = <T extends { created_at: string }>(list: T[]) =>
            list.sort((a, b) => b.created_at.localeCompare(a.created_at));
          return {
            groups,
            spend_requests: newestFirst(groups.flatMap((x) => x.spend_requests)),
            budget_requests: newestFirst(groups.flatMap((x) => x.budget_request ?? [])),
            receipt_reviews: newestFirst(groups.flatMap((x) => x.receipt_reviews)),
          };
        },
        ({ groups }) => {
          if (groups.length === 0) return 'nothing waits for you';
          return groups.map(groupText).join('\n\n');
        },
      ),
    );

  approvals
    .command('decline-all <agentId>')
    .description('decline every pending request of one agent and reject its budget request')
    .option('--comment <text>', 'why, for the agent and the ledger')
    .action(
      ownerAction(
        (client, agentId: string, o: { comment?: string }) =>
          client.call('declineAllPending', {
            params: { id: agentId },
            body: { comment: o.comment },
          }),
        (r) =>
          `declined ${r.declined} request${r.declined === 1 ? '' : 's'}` +
          (r.budget_request_id ? `; rejected budget request ${r.budget_request_id}` : ''),
      ),
    );

  const approve = new Command('approve')
    .description('approve a pending spend request')
    .argument('<requestId>')
    .option('--comment <text>', 'a note, kept on the request and the ledger')
    .option(
      '--override-budget',
      'approve even though it goes over the budget (recorded as an override)',
    )
    .action(
      ownerAction(
        (client, id: string, o: { comment?: string; overrideBudget?: boolean }) =>
          client
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
            }),
        decidedLine,
      ),
    );

  const decline = new Command('decline')
    .description('decline a pending spend request')
    .argument('<requestId>')
    .option('--comment <text>', 'why, for the agent and the ledger')
    .action(
      ownerAction(
        (client, id: string, o: { comment?: string }) =>
          client.call('declineSpend', { params: { id }, body: { comment: o.comment } }),
        decidedLine,
      ),
    );
  const settle = new Command('settle')
    .description(
      'settle an approved request for less (a refund, or what it really cost): the difference goes back to every limit',
    )
    .argument('<requestId>')
    .option(
      '--amount-cents <n>',
      'what it cost in the end, in cents',
      wholeNumber('--amount-cents'),
    )
    .option(
      '--amount-micros <n>',
      'what it cost in the end, in micro-dollars',
      wholeNumber('--amount-micros'),
    )
    .option('--comment <text>', 'why, for the ledger')
    .action(
      ownerAction(
        (
          client,
          id: string,
          o: { amountCents?: number; amountMicros?: number; comment?: string },
        ) =>
          client.call('settleSpend', {
            params: { id },
            body: {
              amount_cents: o.amountCents,
              amount_micros: o.amountMicros,
              comment: o.comment,
            },
          }),
        (r) => `released ${usd(r.released_cents)}: ${spendLine(r.spend_request)}`,
      ),
    );
  return [approvals, approve, decline, settle];
}

type Group = OwnerAnswer<'listApprovals'>['groups'][number];

/** Every group, each with all its pending requests: the later pages fetched one by one. */
async function everyPending(client: OwnerCalls, agentId: string | undefined): Promise<Group[]> {
  const first = await client.call('listApprovals', {
    query: { agent_id: agentId, limit: 200 },
  });
  const groups: Group[] = [];
  for (const group of first.groups) {
    const all = { ...group, spend_requests: [...group.spend_requests] };
    for (let before = group.next_before; before !== null;) {
      const page = await client.call('listApprovals', {
        query: { agent_id: group.agent_id, before, limit: 200 },
      });
      const next = page.groups[0];
      all.spend_requests.push(...(next?.spend_requests ?? []));
      before = next?.next_before ?? null;
    }
    all.next_before = null;
    groups.push(all);
  }
  return groups;
}

/** One agent's share: a header with its counts, then its requests and reviews. */
function groupText(g: Group): string {
  const counts = [
    `${g.pending_count} pending`,
    g.budget_request ? '1 budget request' : '',
    g.review_count ? `${g.review_count} receipt${g.review_count === 1 ? '' : 's'} to review` : '',
  ].filter(Boolean);
  const lines = [
    `${visible(g.agent_name)} (${g.agent_id}, ${g.agent_status ?? 'unknown'}): ${counts.join(', ')}`,
    ...g.spend_requests.map((r) => `  ${spendLine(r)}`),
    ...(g.budget_request ? [`  ${budgetLine(g.budget_request)}`] : []),
    ...g.receipt_reviews.map((r) => `  ${reviewLine(r)}`),
  ];
  if (g.review_count > g.receipt_reviews.length)
    lines.push(`  … purser receipts list --agent ${g.agent_id} --review open`);
  return lines.join('\n');
}

const reviewLine = (r: Group['receipt_reviews'][number]) =>
  `${r.id}  ${usd(r.amount_cents)}  ${quoted(r.merchant_name)}  ` +
  (r.review?.kind === 'settled_for_less'
    ? `settles ${visible(r.spend_request_id ?? '')} for less: releases ${usd(r.review.amount_cents)} if you accept`
    : `${usd(r.review?.amount_cents)} beyond what it could spend alone: counts against shared limits if you accept`);

/** `purser budget-requests list|approve|reject`. */
export function budgetRequestsCommand(): Command {
  const budgets = new Command('budget-requests').description(
    "agents' requests for a budget (owner)",
  );
  budgets
    .command('list')
    .option('--status <s>', 'pending, approved, rejected, expired or exhausted')
    // The status is not checked here: the server refuses another word and says which it takes.
    .action(
      ownerAction(
        async (client, o: { status?: BudgetRequestStatus }) =>
          (
            await client.call('listBudgetRequests', {
              query: { status: o.status || undefined },
            })
          ).budget_requests,
        (list) => (list.length ? list.map(budgetLine).join('\n') : 'no budget requests'),
      ),
    );
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
      ownerAction(
        (client, id: string, o: { amountCents?: number; hours?: number; comment?: string }) =>
          client.call('approveBudgetRequest', {
            params: { id },
            body: { amount_cents: o.amountCents, hours: o.hours, comment: o.comment },
          }),
        decidedBudgetLine,
      ),
    );
  budgets
    .command('reject <id>')
    .option('--reason <text>')
    .action(
      ownerAction(
        (client, id: string, o: { reason?: string }) =>
          client.call('rejectBudgetRequest', { params: { id }, body: { reason: o.reason } }),
        decidedBudgetLine,
      ),
    );
  return budgets;
}
