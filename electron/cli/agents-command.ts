import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from './cli-error';
import { ownerAction } from './owner-action';
import { collect, fieldLines, usd, visible, wholeNumber } from './output';
import type { OwnerAnswer, OwnerBody } from '../../shared/contract/owner';
import type { Mode, OverBudgetBehaviour, Period, WindowKind } from '../../shared/domain';

type AgentView = OwnerAnswer<'getAgent'>;

/** The policy flags as commander hands them over (parsed by wholeNumber, choices, collect). */
interface PolicyFlags {
  budgetCents?: number;
  period?: Period;
  window?: WindowKind;
  maxTransactionCents?: number;
  approvalThresholdCents?: number;
  allowMerchant?: string[];
  denyMerchant?: string[];
  category?: string[];
  askOnNewMerchant?: boolean;
  allowRecipient?: string[];
  denyRecipient?: string[];
  askOnNewRecipient?: boolean;
  overBudget?: OverBudgetBehaviour;
  velocityPerHour?: number;
  rateLimitPerMinute?: number;
  pauseOnOverBudget?: boolean;
  alertLevels?: number[];
  maxPending?: number;
}

/**
 * `--alert-levels 80,100`: warning levels in percent of the budget, or `none`. Each must be
 * a whole number; the server checks the rest (range, order, how many).
 */
function alertLevels(value: string): number[] {
  const text = value.trim();
  if (text.toLowerCase() === 'none' || text === '') return [];
  return text.split(',').map((part) => {
    const level = part.trim().replace(/%$/, '');
    if (!/^\d{1,6}$/.test(level)) {
      throw new InvalidArgumentError(
        `--alert-levels must be percents separated by commas, like 80,100, or none; got "${value}"`,
      );
    }
    return Number(level);
  });
}

/**
 * Policy flags shared by `agents create` and `agents policy`. Each yes/no setting has a
 * --no- form, declared after the positive one: commander then leaves the value undefined
 * when neither is named, so an edit keeps the current setting.
 */
function policyOptions(cmd: Command): Command {
  return cmd
    .option('--budget-cents <n>', 'budget for each period, in cents', wholeNumber('--budget-cents'))
    .addOption(
      new Option('--period <p>', 'budget period').choices(['daily', 'weekly', 'monthly', 'total']),
    )
    .addOption(
      new Option('--window <w>', 'calendar (owner time zone) or rolling').choices([
        'calendar',
        'rolling',
      ]),
    )
    .option(
      '--max-transaction-cents <n>',
      'largest single spend, in cents',
      wholeNumber('--max-transaction-cents'),
    )
    .option(
      '--approval-threshold-cents <n>',
      'spends at or above this need approval',
      wholeNumber('--approval-threshold-cents'),
    )
    .option(
      '--allow-merchant <m>',
      'allow only these merchants (repeat; host globs allowed)',
      collect,
    )
    .option('--deny-merchant <m>', 'never these merchants (repeat; host globs allowed)', collect)
    .option('--category <c>', 'allow only these categories (repeat)', collect)
    .option('--ask-on-new-merchant', 'ask before the first spend at a merchant')
    .option('--no-ask-on-new-merchant', 'stop asking before the first spend at a merchant')
    .option('--allow-recipient <address>', 'payouts only to these addresses (repeat)', collect)
    .option('--deny-recipient <address>', 'never pay out to these addresses (repeat)', collect)
    .option('--ask-on-new-recipient', 'ask before the first payout to an address (the default)')
    .option('--no-ask-on-new-recipient', 'stop asking before a first payout to an address')
    .addOption(
      new Option('--over-budget <b>', 'decline or ask when over budget').choices([
        'decline',
        'ask',
      ]),
    )
    .option(
      '--pause-on-over-budget',
      'pause the agent when a reported payment puts it over a limit',
    )
    .option('--no-pause-on-over-budget', 'keep the agent running when a payment goes over')
    .option(
      '--alert-levels <percents>',
      'warning levels in percent of the budget, each alerting once per window (default 80,100); none for no alerts',
      alertLevels,
    )
    .option(
      '--velocity-per-hour <n>',
      'most approved spends in any hour',
      wholeNumber('--velocity-per-hour'),
    )
    .option(
      '--rate-limit-per-minute <n>',
      'requests a minute per key',
      wholeNumber('--rate-limit-per-minute'),
    )
    .option(
      '--max-pending <n>',
      'requests that may wait for you at once (default 20); past it, one that would ask is declined',
      wholeNumber('--max-pending'),
    );
}

/** The fields named on the command line; the others are left out (the edit keeps them). */
function policyBody(o: PolicyFlags): OwnerBody<'updatePolicy'> {
  const body: OwnerBody<'updatePolicy'> = {
    budget_cents: o.budgetCents,
    period: o.period,
    window: o.window,
    max_transaction_cents: o.maxTransactionCents,
    approval_threshold_cents: o.approvalThresholdCents,
    allow_merchants: o.allowMerchant,
    deny_merchants: o.denyMerchant,
    allowed_categories: o.category,
    ask_on_new_merchant: o.askOnNewMerchant,
    allow_recipients: o.allowRecipient,
    deny_recipients: o.denyRecipient,
    ask_on_new_recipient: o.askOnNewRecipient,
    over_budget: o.overBudget,
    velocity_per_hour: o.velocityPerHour,
    rate_limit_per_minute: o.rateLimitPerMinute,
    pause_on_over_budget: o.pauseOnOverBudget,
    alert_levels_percent: o.alertLevels,
    max_pending: o.maxPending,
  };
  return Object.fromEntries(
    Object.entries(body).filter(([, v]) => v !== undefined),
  ) as OwnerBody<'updatePolicy'>;
}

const agentLine = (a: AgentView) =>
  `${a.id}  ${visible(a.name)}  ${a.mode}  ${a.status}  ${usd(a.budget.spent_cents)} of ${usd(a.budget.budget_cents)} ${a.budget.period}`;

export function agentsCommand(): Command {
  const agents = new Command('agents').description('create and manage agents (owner)');

  policyOptions(
    agents
      .command('create')
      .description('create an agent; prints it with its id')
      .requiredOption('--name <name>', 'a name for the app or automation')
      .addOption(
        new Option('--mode <mode>', 'live money or test money')
          .choices(['live', 'test'])
          .default('live'),
      ),
  ).action(
    ownerAction(
      (client, o: PolicyFlags & { name: string; mode: Mode }) =>
        client.call('createAgent', { body: { name: o.name, mode: o.mode, ...policyBody(o) } }),
      (agent) => `created ${agentLine(agent)}`,
    ),
  );

  agents
    .command('list')
    .description('list agents')
    .action(
      ownerAction(
        async (client) => (await client.call('listAgents')).agents,
        (list) => (list.length ? list.map(agentLine).join('\n') : 'no agents yet'),
      ),
    );

  agents
    .command('show <id>')
    .description('one agent, with its policy and budget')
    .action(
      ownerAction(
        (client, id: string) => client.call('getAgent', { params: { id } }),
        (agent) => `${agentLine(agent)}\n${fieldLines(agent.policy)}`,
      ),
    );

  policyOptions(
    agents.command('policy <id>').description("edit an agent's policy (writes a new version)"),
  ).action(
    ownerAction(
      (client, id: string, o: PolicyFlags) => {
        const body = policyBody(o);
        if (Object.keys(body).length === 0)
          throw new CliError('Name at least one policy option to change.', 2);
        return client.call('updatePolicy', { params: { id }, body });
      },
      (agent) => `policy v${agent.policy_version}: ${agentLine(agent)}`,
    ),
  );

  for (const action of ['pause', 'resume', 'revoke'] as const) {
    agents
      .command(`${action} <id>`)
      .description(`${action} an agent`)
      .action(
        ownerAction(
          (client, id: string) => client.call(`${action}Agent`, { params: { id } }),
          agentLine,
        ),
      );
  }
  return agents;
}
