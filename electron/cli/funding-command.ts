import { Command, Option } from 'commander';
import { ownerClient } from './owner-client';
import { emit, fieldLines, usd, wholeNumber } from './output';
import { globals } from './globals';
import type { OwnerAnswer, OwnerBody } from '../../shared/contract/owner';
import type { Mode, Period, WindowKind } from '../../shared/domain';

export function fundingCommand(): Command {
  const funding = new Command('funding').description('funding sources (owner)');
  funding
    .command('deposit')
    .description('add money to a cash funding source')
    .requiredOption('--cents <n>', 'amount in cents', wholeNumber('--cents'))
    .addOption(
      new Option('--mode <mode>', "the mode's default cash source").choices(['live', 'test']),
    )
    .option('--source <id>', 'a funding source id')
    .action(async (o: { cents: number; mode?: Mode; source?: string }, cmd: Command) => {
      const g = globals(cmd);
      const source = await ownerClient(g.home).call('deposit', {
        body: { amount_cents: o.cents, mode: o.mode, funding_source_id: o.source },
      });
      emit(
        !!g.json,
        source,
        () => `${source.id} (${source.mode}) balance ${usd(source.balance_cents)}`,
      );
    });
  funding
    .command('list')
    .description('funding sources and balances')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd);
      const { funding_sources: list } = await ownerClient(g.home).call('listFundingSources');
      emit(!!g.json, list, () =>
        list
          .map(
            (s) =>
              `${s.id}  ${s.kind}  ${s.mode}  ${usd(s.balance_cents)}${s.limit_cents === null ? '' : `  limit ${usd(s.limit_cents)} ${s.limit_period}`}`,
          )
          .join('\n'),
      );
    });
  funding
    .command('limit <sourceId>')
    .description("set or clear a funding source's limit per period")
    .requiredOption('--cents <n|none>', 'limit in cents, or "none"')
    .addOption(
      new Option('--period <p>')
        .choices(['daily', 'weekly', 'monthly', 'total'])
        .default('monthly'),
    )
    .addOption(new Option('--window <w>').choices(['calendar', 'rolling']).default('calendar'))
    .action(
      async (
        sourceId: string,
        o: { cents: string; period: Period; window: WindowKind },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const limit = o.cents === 'none' ? null : wholeNumber('--cents')(o.cents);
        const source = await ownerClient(g.home).call('setFundingLimit', {
          params: { id: sourceId },
          body: { limit_cents: limit, period: o.period, window: o.window },
        });
        emit(!!g.json, source, () => `${source.id} limit ${usd(source.limit_cents)}`);
      },
    );
  return funding;
}

export function freezeCommands(): Command[] {
  return (['freeze', 'unfreeze'] as const).map((name) => {
    const command = new Command(name);
    // The window's button says "panic"; the same word works here.
    if (name === 'freeze') command.alias('panic');
    return command
      .description(
        name === 'freeze' ? 'panic button: decline every spend of every agent' : 'lift the freeze',
      )
      .action(async (_o, cmd: Command) => {
        const g = globals(cmd);
        const settings = await ownerClient(g.home).call(name);
        emit(!!g.json, settings, () =>
          settings.frozen ? 'frozen: every spend is declined' : 'unfrozen',
        );
      });
  });
}

type SettingsView = OwnerAnswer<'getSettings'>;

/** The settings as lines a person reads; the fields and their names are those of --json. */
const settingsText = (s: SettingsView) =>
  fieldLines({
    time_zone: s.time_zone,
    frozen: s.frozen ? 'yes: every spend is declined' : 'no',
    pending_expiry_hours: s.pending_expiry_hours,
    global_cap: s.global_cap
      ? `${usd(s.global_cap.amount_cents)} ${s.global_cap.period} (${s.global_cap.window})`
      : 'none',
  });

export function settingsCommand(): Command {
  const settings = new Command('settings').description('workspace settings (owner)');
  settings.command('show').action(async (_o, cmd: Command) => {
    const g = globals(cmd);
    const s = await ownerClient(g.home).call('getSettings');
    emit(!!g.json, s, () => settingsText(s));
  });
  settings
    .command('set')
    .option('--time-zone <tz>', 'IANA time zone for calendar windows')
    .option('--pending-expiry-hours <h>', 'how long a request waits for approval', Number)
    .option('--global-cap-cents <n|none>', 'cap across all agents per period, or "none"')
    .addOption(
      new Option('--global-cap-period <p>')
        .choices(['daily', 'weekly', 'monthly', 'total'])
        .default('monthly'),
    )
    .action(
      async (
        o: {
          timeZone?: string;
          pendingExpiryHours?: number;
          globalCapCents?: string;
          globalCapPeriod: Period;
        },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const body: OwnerBody<'updateSettings'> = {
          time_zone: o.timeZone,
          pending_expiry_hours: o.pendingExpiryHours,
        };
        if (o.globalCapCents !== undefined) {
          body.global_cap =
            o.globalCapCents === 'none'
              ? null
              : {
                  amount_cents: wholeNumber('--global-cap-cents')(o.globalCapCents),
                  period: o.globalCapPeriod,
                };
        }
        const s = await ownerClient(g.home).call('updateSettings', { body });
        emit(!!g.json, s, () => settingsText(s));
      },
    );
  return settings;
}
