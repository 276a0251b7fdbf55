import { Command, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { AgentView } from '../../shared/schemas/owner-api';
import { ownerClient, CliError } from './owner-client';
import { collect, emit, usd, wholeNumber } from './output';

interface Globals {
  home?: string;
  json?: boolean;
}

const globals = (cmd: Command) => cmd.optsWithGlobals<Globals>();

/** Policy flags shared by `agents create` and `agents policy`. */
function policyOptions(cmd: Command): Command {
  return cmd
    .option('--budget-cents <n>', 'budget for each period, in cents', wholeNumber('--budget-cents'))
    .addOption(new Option('--period <p>', 'budget period').choices(['daily', 'weekly', 'monthly', 'total']))
    .addOption(new Option('--window <w>', 'calendar (owner time zone) or rolling').choices(['calendar', 'rolling']))
    .option('--max-transaction-cents <n>', 'largest single spend, in cents', wholeNumber('--max-transaction-cents'))
    .option('--approval-threshold-cents <n>', 'spends at or above this need approval', wholeNumber('--approval-threshold-cents'))
    .option('--allow-merchant <m>', 'allow only these merchants (repeat; host globs allowed)', collect)
    .option('--deny-merchant <m>', 'never these merchants (repeat; host globs allowed)', collect)
    .option('--category <c>', 'allow only these categories (repeat)', collect)
    .option('--ask-on-new-merchant', 'ask before the first spend at a merchant')
    .addOption(new Option('--over-budget <b>', 'decline or ask when over budget').choices(['decline', 'ask']))
    .option('--velocity-per-hour <n>', 'most approved spends in any hour', wholeNumber('--velocity-per-hour'))
    .option('--rate-limit-per-minute <n>', 'requests a minute per key', wholeNumber('--rate-limit-per-minute'));
}

function policyBody(o: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    budget_cents: o.budgetCents,
    period: o.period,
    window: o.window,
    max_transaction_cents: o.maxTransactionCents,
    approval_threshold_cents: o.approvalThresholdCents,
    allow_merchants: o.allowMerchant,
    deny_merchants: o.denyMerchant,
    allowed_categories: o.category,
    ask_on_new_merchant: o.askOnNewMerchant,
    over_budget: o.overBudget,
    velocity_per_hour: o.velocityPerHour,
    rate_limit_per_minute: o.rateLimitPerMinute,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

const agentLine = (a: AgentView) =>
  `${a.id}  ${a.name}  ${a.mode}  ${a.status}  ${usd(a.budget.spent_cents)} of ${usd(a.budget.budget_cents)} ${a.budget.period}`;

export function agentsCommand(): Command {
  const agents = new Command('agents').description('create and manage agents (owner)');

  policyOptions(
    agents
      .command('create')
      .description('create an agent; prints it with its id')
      .requiredOption('--name <name>', 'a name for the app or automation')
      .addOption(new Option('--mode <mode>', 'live money or test money').choices(['live', 'test']).default('live')),
  ).action(async (o: Record<string, unknown>, cmd: Command) => {
    const g = globals(cmd);
    const agent = await ownerClient(g.home).request<AgentView>('POST', '/admin/v1/agents', { name: o.name, mode: o.mode, ...policyBody(o) });
    emit(!!g.json, agent, () => `created ${agentLine(agent)}`);
  });

  agents.command('list').description('list agents').action(async (_o, cmd: Command) => {
    const g = globals(cmd);
    const { agents: list } = await ownerClient(g.home).request<{ agents: AgentView[] }>('GET', '/admin/v1/agents');
    emit(!!g.json, list, () => (list.length ? list.map(agentLine).join('\n') : 'no agents yet'));
  });

  agents.command('show <id>').description("one agent, with its policy and budget").action(async (id: string, _o, cmd: Command) => {
    const g = globals(cmd);
    const agent = await ownerClient(g.home).request<AgentView>('GET', `/admin/v1/agents/${encodeURIComponent(id)}`);
    emit(!!g.json, agent, () => `${agentLine(agent)}\n${JSON.stringify(agent.policy, null, 2)}`);
  });

  policyOptions(agents.command('policy <id>').description("edit an agent's policy (writes a new version)")).action(
    async (id: string, o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const body = policyBody(o);
      if (Object.keys(body).length === 0) throw new CliError('Name at least one policy option to change.', 2);
      const agent = await ownerClient(g.home).request<AgentView>('PATCH', `/admin/v1/agents/${encodeURIComponent(id)}/policy`, body);
      emit(!!g.json, agent, () => `policy v${agent.policy_version}: ${agentLine(agent)}`);
    },
  );

  for (const action of ['pause', 'resume', 'revoke'] as const) {
    agents.command(`${action} <id>`).description(`${action} an agent`).action(async (id: string, _o, cmd: Command) => {
      const g = globals(cmd);
      const agent = await ownerClient(g.home).request<AgentView>('POST', `/admin/v1/agents/${encodeURIComponent(id)}/${action}`);
      emit(!!g.json, agent, () => agentLine(agent));
    });
  }
  return agents;
}

export function keysCommand(): Command {
  const keys = new Command('keys').description('issue and revoke spending keys (owner)');
  keys
    .command('issue <agentId>')
    .description('issue a spending key; prints {"id","key"}: the only time the key is shown')
    .addOption(new Option('--scope <scope>', 'limit the key to a scope (repeat)').choices(['spend.read', 'spend.write']).argParser(collect))
    .option('--expires-at <iso>', 'the key stops working at this time (ISO 8601)')
    .option('--label <label>', 'a note for yourself')
    .action(async (agentId: string, o: { scope?: string[]; expiresAt?: string; label?: string }, cmd: Command) => {
      const g = globals(cmd);
      const issued = await ownerClient(g.home).request<{ id: string; key: string }>('POST', `/admin/v1/agents/${encodeURIComponent(agentId)}/keys`, {
        scopes: o.scope,
        expires_at: o.expiresAt,
        label: o.label,
      });
      emit(!!g.json, issued, () => JSON.stringify({ id: issued.id, key: issued.key }));
      if (!g.json) process.stderr.write('This is the only time the key is shown. Store it now.\n');
    });
  keys.command('list <agentId>').description("an agent's keys (never their secrets)").action(async (agentId: string, _o, cmd: Command) => {
    const g = globals(cmd);
    const { keys: list } = await ownerClient(g.home).request<{ keys: Array<{ id: string; prefix: string; last4: string; scopes: string[]; revoked_at: string | null; expires_at: string | null }> }>(
      'GET',
      `/admin/v1/agents/${encodeURIComponent(agentId)}/keys`,
    );
    emit(!!g.json, list, () =>
      list.map((k) => `${k.id}  ${k.prefix}…${k.last4}  ${k.scopes.join(',')}  ${k.revoked_at ? `revoked ${k.revoked_at}` : k.expires_at ? `expires ${k.expires_at}` : 'active'}`).join('\n') || 'no keys',
    );
  });
  keys.command('revoke <keyId>').description('revoke one key').action(async (keyId: string, _o, cmd: Command) => {
    const g = globals(cmd);
    const key = await ownerClient(g.home).request<{ id: string; revoked_at: string }>('POST', `/admin/v1/keys/${encodeURIComponent(keyId)}/revoke`);
    emit(!!g.json, key, () => `revoked ${key.id} at ${key.revoked_at}`);
  });
  return keys;
}

export function fundingCommand(): Command {
  const funding = new Command('funding').description('funding sources (owner)');
  funding
    .command('deposit')
    .description('add money to a cash funding source')
    .requiredOption('--cents <n>', 'amount in cents', wholeNumber('--cents'))
    .addOption(new Option('--mode <mode>', "the mode's default cash source").choices(['live', 'test']))
    .option('--source <id>', 'a funding source id')
    .action(async (o: { cents: number; mode?: string; source?: string }, cmd: Command) => {
      const g = globals(cmd);
      const source = await ownerClient(g.home).request<{ id: string; balance_cents: number; mode: string }>('POST', '/admin/v1/funding/deposit', {
        amount_cents: o.cents,
        mode: o.mode,
        funding_source_id: o.source,
      });
      emit(!!g.json, source, () => `${source.id} (${source.mode}) balance ${usd(source.balance_cents)}`);
    });
  funding.command('list').description('funding sources and balances').action(async (_o, cmd: Command) => {
    const g = globals(cmd);
    const { funding_sources: list } = await ownerClient(g.home).request<{ funding_sources: Array<{ id: string; mode: string; kind: string; balance_cents: number; limit_cents: number | null; limit_period: string | null }> }>(
      'GET',
      '/admin/v1/funding-sources',
    );
    emit(!!g.json, list, () => list.map((s) => `${s.id}  ${s.kind}  ${s.mode}  ${usd(s.balance_cents)}${s.limit_cents === null ? '' : `  limit ${usd(s.limit_cents)} ${s.limit_period}`}`).join('\n'));
  });
  funding
    .command('limit <sourceId>')
    .description("set or clear a funding source's limit per period")
    .requiredOption('--cents <n|none>', 'limit in cents, or "none"')
    .addOption(new Option('--period <p>').choices(['daily', 'weekly', 'monthly', 'total']).default('monthly'))
    .addOption(new Option('--window <w>').choices(['calendar', 'rolling']).default('calendar'))
    .action(async (sourceId: string, o: { cents: string; period: string; window: string }, cmd: Command) => {
      const g = globals(cmd);
      const limit = o.cents === 'none' ? null : wholeNumber('--cents')(o.cents);
      const source = await ownerClient(g.home).request<{ id: string; limit_cents: number | null }>('PUT', `/admin/v1/funding-sources/${encodeURIComponent(sourceId)}/limit`, {
        limit_cents: limit,
        period: o.period,
        window: o.window,
      });
      emit(!!g.json, source, () => `${source.id} limit ${usd(source.limit_cents)}`);
    });
  return funding;
}

export function freezeCommands(): Command[] {
  return (['freeze', 'unfreeze'] as const).map((name) =>
    new Command(name).description(name === 'freeze' ? 'panic button: decline every spend of every agent' : 'lift the freeze').action(async (_o, cmd: Command) => {
      const g = globals(cmd);
      const settings = await ownerClient(g.home).request<{ frozen: boolean }>('POST', `/admin/v1/${name}`);
      emit(!!g.json, settings, () => (settings.frozen ? 'frozen: every spend is declined' : 'unfrozen'));
    }),
  );
}

export function settingsCommand(): Command {
  const settings = new Command('settings').description('workspace settings (owner)');
  settings.command('show').action(async (_o, cmd: Command) => {
    const g = globals(cmd);
    const s = await ownerClient(g.home).request<unknown>('GET', '/admin/v1/settings');
    emit(!!g.json, s, () => JSON.stringify(s, null, 2));
  });
  settings
    .command('set')
    .option('--time-zone <tz>', 'IANA time zone for calendar windows')
    .option('--pending-expiry-hours <h>', 'how long a request waits for approval', Number)
    .option('--global-cap-cents <n|none>', 'cap across all agents per period, or "none"')
    .addOption(new Option('--global-cap-period <p>').choices(['daily', 'weekly', 'monthly', 'total']).default('monthly'))
    .action(async (o: { timeZone?: string; pendingExpiryHours?: number; globalCapCents?: string; globalCapPeriod: string }, cmd: Command) => {
      const g = globals(cmd);
      const body: Record<string, unknown> = { time_zone: o.timeZone, pending_expiry_hours: o.pendingExpiryHours };
      if (o.globalCapCents !== undefined) {
        body.global_cap = o.globalCapCents === 'none' ? null : { amount_cents: wholeNumber('--global-cap-cents')(o.globalCapCents), period: o.globalCapPeriod };
      }
      const s = await ownerClient(g.home).request<unknown>('PATCH', '/admin/v1/settings', body);
      emit(!!g.json, s, () => JSON.stringify(s, null, 2));
    });
  return settings;
}

export function ledgerCommand(): Command {
  const ledger = new Command('ledger').description('the hash-chained ledger (owner)');
  ledger.command('verify').description('check every entry of the hash chain; exits 1 if one is bad').action(async (_o, cmd: Command) => {
    const g = globals(cmd);
    const r = await ownerClient(g.home).request<{ ok: boolean; entries: number; head_hash: string; first_bad: { seq: number; message: string } | null }>(
      'POST',
      '/admin/v1/ledger/verify',
    );
    emit(!!g.json, r, () => (r.ok ? `ok: ${r.entries} entries, head ${r.head_hash}` : `BROKEN at entry ${r.first_bad?.seq}: ${r.first_bad?.message}`));
    if (!r.ok) process.exitCode = 1;
  });
  ledger
    .command('export')
    .description('every entry as CSV or JSON')
    .addOption(new Option('--format <f>').choices(['csv', 'json']).default('json'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--agent <id>', 'only this agent')
    .action(async (o: { format: string; out?: string; agent?: string }, cmd: Command) => {
      const g = globals(cmd);
      const params = new URLSearchParams({ format: o.format, ...(o.agent ? { agent_id: o.agent } : {}) });
      const response = await ownerClient(g.home).raw('GET', `/admin/v1/ledger/export?${params}`);
      if (!response.ok) throw new CliError(`export failed: HTTP ${response.status} ${await response.text()}`);
      if (!response.body) return;
      // Streamed: an export of a million entries never sits in memory whole.
      const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      if (o.out) await pipeline(source, createWriteStream(o.out, { mode: 0o600 }));
      else await pipeline(source, process.stdout, { end: false });
    });
  return ledger;
}
