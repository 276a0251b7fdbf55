import { Command, Option } from 'commander';
import { ownerAction } from './owner-action';
import { fieldLines, usd, wholeNumber } from './output';
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
    .action(
      ownerAction(
        (client, o: { cents: number; mode?: Mode; source?: string }) =>
          client.call('deposit', {
            body: { amount_cents: o.cents, mode: o.mode, funding_source_id: o.source },
          }),
        (source) => `${source.id} (${source.mode}) balance ${usd(source.balance_cents)}`,
      ),
    );
  funding
    .command('list')
    .description('funding sources and balances')
    .action(
      ownerAction(
        async (client) => (await client.call('listFundingSources')).funding_sources,
        (list) =>
          list
            .map(
              (s) =>
                `${s.id}  ${s.kind}  ${s.mode}  ${usd(s.balance_cents)}${s.limit_cents === null ? '' : `  limit ${usd(s.limit_cents)} ${s.limit_period}`}`,
            )
            .join('\n'),
      ),
    );
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
      ownerAction(
        (client, sourceId: string, o: { cents: string; period: Period; window: WindowKind }) => {
          const limit = o.cents === 'none' ? null : wholeNumber('--cents')(o.cents);
          return client.call('setFundingLimit', {
            params: { id: sourceId },
            body: { limit_cents: limit, period: o.period, window: o.window },
          });
        },
        (source) => `${source.id} limit ${usd(source.limit_cents)}`,
      ),
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
      .action(
        ownerAction(
          (client) => client.call(name),
          (settings) => (settings.frozen ? 'frozen: every spend is declined' : 'unfrozen'),
        ),
      );
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
  settings
    .command('show')
    .action(ownerAction((client) => client.call('getSettings'), settingsText));
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
      ownerAction(
        (
          client,
          o: {
            timeZone?: string;
            pendingExpiryHours?: number;
            globalCapCents?: string;
            globalCapPeriod: Period;
          },
        ) => {
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
          return client.call('updateSettings', { body });
        },
        settingsText,
      ),
    );
  return settings;
}
