import { Command, Option } from 'commander';
import {
  PurserApiError,
  type BalanceView,
  type BudgetRequestView,
  type PolicyView,
  type PurserClient,
  type ReceiptResult,
  type SpendRequestView,
} from '../../shared/client';
import { RAILS, type BudgetRequestStatus, type SpendStatus } from '../../shared/domain';
import { agentClient } from './agent-env';
import { globals } from './globals';
import { CliError } from './cli-error';
import { emit, quoted, usd, visible, wholeNumber } from './output';

/**
 * The agent's side of the CLI: `purser spend`, `status`, `balance`, `policy`, `budget`,
 * `receipt` (and `payout`, payout-command.ts, with the same helpers and exit codes). Each reaches `/v1` with the key in PURSER_KEY (agent-env.ts), never the owner
 * token, so a script an agent runs can do no more than the agent could over HTTP.
 *
 * Exit codes, so that a shell script can branch without parsing output:
 *   0   approved (a read or a receipt: it worked)
 *   10  declined: by policy, or refused by a hard limit (the 402s of docs/decision-order.md,
 *       "Three kinds of answer": a refusal of the spend, not a failure to ask)
 *   11  pending: needs_approval (or a pending budget request) still after any --wait; a
 *       payout not at its end yet (approved, awaiting_signature, submitted)
 *   12  ended undecided: expired or cancelled (a budget request: expired or exhausted; a
 *       payout: failed, its money given back)
 *   1   an API error (docs/errors.md; its code is on stderr) or Purser cannot be reached
 *   2   usage: PURSER_KEY missing, a missing or malformed option
 * A status maps through a Record over the domain's statuses, so a new status breaks the
 * build here until it has an exit code.
 */
export const EXIT = { ok: 0, error: 1, usage: 2, declined: 10, pending: 11, ended: 12 } as const;

const SPEND_EXIT: Record<SpendStatus, number> = {
  approved: EXIT.ok,
  declined: EXIT.declined,
  needs_approval: EXIT.pending,
  expired: EXIT.ended,
  cancelled: EXIT.ended,
};
const BUDGET_EXIT: Record<BudgetRequestStatus, number> = {
  approved: EXIT.ok,
  rejected: EXIT.declined,
  pending: EXIT.pending,
  expired: EXIT.ended,
  exhausted: EXIT.ended,
};

const EXIT_HELP = `
Exit codes: 0 approved or done, 10 declined (or refused by a hard limit), 11 still pending,
12 expired or cancelled, 1 API or network error (code on stderr), 2 usage error.
Environment: PURSER_KEY (the agent's spending key), PURSER_URL (default: the running server).`;

/** Commander's own usage errors (a missing option, a bad number) exit 2, like a missing key. */
export function agentCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .addHelpText('after', EXIT_HELP)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));
}

type Runner<T> = (client: PurserClient, cmd: Command) => Promise<T>;

/**
 * Runs an API call with the agent's client; prints the answer (the API's JSON under --json,
 * else `human`) and sets the exit code from it. An API error becomes a one-line CliError
 * (and, under --json, its envelope on stdout, so a script still gets `details`).
 */
export async function run<T>(
  cmd: Command,
  call: Runner<T>,
  human: (result: T) => string,
  exitOf: (result: T) => number = () => EXIT.ok,
): Promise<void> {
  const g = globals(cmd);
  const client = agentClient(g.home);
  let result: T;
  try {
    result = await call(client, cmd);
  } catch (error) {
    if (!(error instanceof PurserApiError)) throw error;
    const { code, message, details } = error;
    if (g.json) emit(true, { error: { code, message, details } }, () => '');
    throw new CliError(`${code}: ${message}`, error.status === 402 ? EXIT.declined : EXIT.error);
  }
  emit(!!g.json, result, () => human(result));
  process.exitCode = exitOf(result);
}

export const amountOption = () =>
  new Option('--amount-cents <n>', 'amount in cents')
    .argParser(wholeNumber('--amount-cents'))
    .makeOptionMandatory();

export const waitOption = () =>
  new Option('--wait <seconds>', 'wait up to this long for the decision').argParser(
    wholeNumber('--wait'),
  );

/** The budget-request analogue of client.waitForDecision: long polls of at most 60 s. */
async function waitForBudget(client: PurserClient, id: string, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    const request = await client.getBudgetRequest(id, { wait: Math.max(0, Math.min(60, left)) });
    if (request.status !== 'pending' || left <= 0) return request;
  }
}

// Human summaries. Every string an agent chose (merchant, reason, purpose, category, the
// decision reason that quotes them) goes through visible() or quoted(): see output.ts.

const left = (cents: number, period: string) => `${usd(cents)} left of the ${period} budget`;

function spendText(r: SpendRequestView): string {
  const category = r.category === null ? '' : `  [${visible(r.category)}]`;
  const lines = [
    `${r.status}  ${r.id}  ${usd(r.amount_cents)} at ${quoted(r.merchant_name)} for ${quoted(r.reason)}${category}`,
    `  ${visible(r.decision_reason)}`,
    `  ${left(r.remaining_budget_cents, r.budget_period)}`,
  ];
  if (r.status === 'needs_approval')
    lines.push(
      // Said after any --wait has ended: the request is still open, this command is done.
      `  not decided yet: the owner can approve it${r.expires_at ? ` until ${r.expires_at} (then it expires)` : ''}; check again with: purser status ${r.id} --wait 60`,
    );
  return lines.join('\n');
}

function budgetText(r: BudgetRequestView): string {
  const lines = [`${r.status}  ${r.id}  ${usd(r.requested_amount_cents)} for ${quoted(r.purpose)}`];
  if (r.approved_amount_cents !== null)
    lines.push(
      `  granted ${usd(r.approved_amount_cents)}${r.adjusted ? ' (not the amount asked)' : ''}: ${usd(r.spent_cents)} spent, ${usd(r.remaining_cents)} left, until ${r.expires_at}`,
    );
  else if (r.status === 'pending')
    lines.push(`  not decided yet: the owner can grant it until ${r.expires_at} (then it expires)`);
  if (r.comment !== null) lines.push(`  owner: ${quoted(r.comment)}`);
  return lines.join('\n');
}

function balanceText(b: BalanceView): string {
  const until = b.window_end ? ` (window ends ${b.window_end})` : '';
  const lines = [
    `${b.agent_id}  ${b.mode}  ${b.status}${b.frozen ? '  wallet frozen' : ''}`,
    `spent ${usd(b.spent_cents)} of ${usd(b.budget_cents)} ${b.budget_period}; ${usd(b.remaining_budget_cents)} left${until}`,
    `funding ${usd(b.funding_balance_cents)} (${b.funding_source.kind} ${b.funding_source.id})`,
  ];
  const br = b.active_budget_request;
  if (br) lines.push(`budget request: ${budgetText(br)}`);
  const onchain = b.onchain_wallet;
  if (onchain) {
    const held = onchain.balances
      .map((x) => `${x.chain} ${x.usdc_cents === null ? 'unreachable' : usd(x.usdc_cents)}`)
      .join(', ');
    lines.push(`wallet ${onchain.address} (held by Purser): ${held || 'no chain configured'}`);
  }
  return lines.join('\n');
}

function policyText(p: PolicyView): string {
  const list = (items: string[]) => (items.length ? items.map(quoted).join(', ') : 'any');
  const perHour = p.velocity.max_per_hour;
  return [
    `${visible(p.agent_name)}  ${p.agent_id}  ${p.mode}  ${p.status}${p.frozen ? '  wallet frozen' : ''}  policy v${p.policy_version}`,
    `budget: ${usd(p.remaining_budget_cents)} left of ${usd(p.budget.budget_cents)} ${p.budget.budget_period} (${p.budget.window_kind}); over budget: ${p.over_budget}`,
    `per payment: ${p.max_transaction_cents === null ? 'no limit' : `at most ${usd(p.max_transaction_cents)}`}; owner approval ${p.approval_threshold_cents === null ? 'not needed' : `from ${usd(p.approval_threshold_cents)}`}`,
    `merchants allowed: ${list(p.allow_merchants)}; denied: ${p.deny_merchants.length ? list(p.deny_merchants) : 'none'}`,
    `categories: ${list(p.allowed_categories)}; ask on a new merchant: ${p.ask_on_new_merchant ? 'yes' : 'no'}`,
    `payments this hour: ${p.velocity.used_last_hour}${perHour === null ? '' : ` of ${perHour}`}; pending requests expire after ${p.pending_expiry_hours} h`,
    `key ${p.key.id}: ${p.key.scopes.join(', ')}; expires ${p.key.expires_at ?? 'never'}`,
  ].join('\n');
}

function receiptText(r: ReceiptResult): string {
  const settles = r.spend_request_id ? `, settles ${visible(r.spend_request_id)}` : '';
  const lines = [
    `recorded  ${r.id}  ${usd(r.amount_cents)} at ${quoted(r.merchant_name)} via ${r.rail}${settles}`,
    `  ${left(r.remaining_budget_cents, r.budget.budget_period)}`,
  ];
  if (r.over_limits.length) lines.push(`  over: ${r.over_limits.join(', ')}`);
  if (r.flags.length) lines.push(`  flagged: ${r.flags.join(', ')}`);
  return lines.join('\n');
}

/** What `spend` and `budget request` share. */
export interface Ask {
  amountCents: number;
  category?: string;
  idempotencyKey?: string;
  wait?: number;
}

function spendCommand(): Command {
  return agentCommand('spend', 'ask to spend (agent; uses PURSER_KEY)')
    .addOption(amountOption())
    .requiredOption('--merchant <name>', 'who is paid')
    .requiredOption('--reason <text>', 'why, for the owner')
    .option('--category <c>', 'a category the policy may restrict')
    .option('--idempotency-key <k>', 'reuse it when retrying, so a retry never spends twice')
    .addOption(waitOption())
    .action((o: Ask & { merchant: string; reason: string }, cmd: Command) =>
      run(
        cmd,
        async (client) => {
          const request = await client.spend({
            amount_cents: o.amountCents,
            merchant_name: o.merchant,
            reason: o.reason,
            category: o.category,
            idempotency_key: o.idempotencyKey,
          });
          return request.status === 'needs_approval' && o.wait
            ? client.waitForDecision(request.id, { timeoutMs: o.wait * 1000 })
            : request;
        },
        spendText,
        (r) => SPEND_EXIT[r.status],
      ),
    );
}

function statusCommand(): Command {
  return agentCommand('status', 'a spend request as it stands (agent)')
    .argument('<requestId>')
    .addOption(waitOption())
    .action((id: string, o: { wait?: number }, cmd: Command) =>
      run(
        cmd,
        (client) =>
          o.wait ? client.waitForDecision(id, { timeoutMs: o.wait * 1000 }) : client.getSpend(id),
        spendText,
        (r) => SPEND_EXIT[r.status],
      ),
    );
}

function budgetCommand(): Command {
  const budget = agentCommand('budget', 'ask the owner for a budget, and read the answer (agent)');
  budget.addCommand(
    agentCommand('request', 'ask for a budget for a purpose (one pending or approved at a time)')
      .addOption(amountOption())
      .requiredOption('--purpose <text>', 'what it is for, for the owner')
      .option('--category <c>', 'a category for the spending under it')
      .option('--idempotency-key <k>', 'reuse it when retrying')
      .addOption(waitOption())
      .action((o: Ask & { purpose: string }, cmd: Command) =>
        run(
          cmd,
          async (client) => {
            const request = await client.requestBudget({
              amount_cents: o.amountCents,
              purpose: o.purpose,
              category: o.category,
              idempotency_key: o.idempotencyKey,
            });
            return request.status === 'pending' && o.wait
              ? waitForBudget(client, request.id, o.wait)
              : request;
          },
          budgetText,
          (r) => BUDGET_EXIT[r.status],
        ),
      ),
  );
  budget.addCommand(
    agentCommand('status', 'a budget request as it stands')
      .argument('<budgetRequestId>')
      .addOption(waitOption())
      .action((id: string, o: { wait?: number }, cmd: Command) =>
        run(
          cmd,
          (client) => (o.wait ? waitForBudget(client, id, o.wait) : client.getBudgetRequest(id)),
          budgetText,
          (r) => BUDGET_EXIT[r.status],
        ),
      ),
  );
  return budget;
}

interface ReceiptOptions {
  amountCents: number;
  merchant?: string;
  host?: string;
  rail: (typeof RAILS)[number];
  spendRequest?: string;
  txHash?: string;
  network?: string;
  idempotencyKey?: string;
}

function receiptCommand(): Command {
  return agentCommand('receipt', 'report a payment made elsewhere (agent)')
    .addOption(amountOption())
    .option('--merchant <name>', 'who was paid (or --host)')
    .option('--host <host>', 'the host paid, like api.example.com (or --merchant)')
    .addOption(new Option('--rail <rail>', 'how it was paid').choices(RAILS).makeOptionMandatory())
    .option('--spend-request <id>', 'the approved spend request this payment settles')
    .option('--tx-hash <hash>', 'the on-chain transaction')
    .option('--network <name>', 'the chain it was paid on')
    .option('--idempotency-key <k>', 'reuse it when retrying, so a retry never counts twice')
    .action((o: ReceiptOptions, cmd: Command) => {
      if (o.merchant === undefined && o.host === undefined)
        throw new CliError('Give --merchant or --host.', EXIT.usage);
      return run(
        cmd,
        (client) =>
          client.recordReceipt({
            amount_cents: o.amountCents,
            merchant_name: o.merchant,
            host: o.host,
            rail: o.rail,
            spend_request_id: o.spendRequest,
            tx_hash: o.txHash,
            network: o.network,
            idempotency_key: o.idempotencyKey,
          }),
        receiptText,
      );
    });
}

/** The agent commands, for electron/cli.ts to add to `purser`. */
export function agentCommands(): Command[] {
  const balance = agentCommand('balance', 'what this agent has left (agent)').action(
    (_o, cmd: Command) => run(cmd, (client) => client.balance(), balanceText),
  );
  const policy = agentCommand('policy', 'the rules this agent spends under (agent)').action(
    (_o, cmd: Command) => run(cmd, (client) => client.policy(), policyText),
  );
  return [spendCommand(), statusCommand(), balance, policy, budgetCommand(), receiptCommand()];
}
