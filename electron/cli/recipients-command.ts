import { Command } from 'commander';
import type { RecipientView } from '../../shared/schemas/payouts';
import { ownerAction, type OwnerCalls } from './owner-action';
import { quoted } from './output';

const line = (r: RecipientView) =>
  [
    `${r.id}  ${quoted(r.name)}  ${r.address}  ${r.networks.length ? r.networks.join(', ') : 'any chain'}`,
    r.lookalike_of
      ? `  LOOKS LIKE ${quoted(r.lookalike_of.name)} ${r.lookalike_of.address}: check both addresses`
      : '',
  ]
    .filter(Boolean)
    .join('\n');

/** `purser recipients`: the owner's address book of payout recipients (docs/payouts.md). */
export function recipientsCommand(): Command {
  const recipients = new Command('recipients')
    .description('the address book agents pay out to (owner): list, add, archive')
    .action(
      ownerAction(
        async (client: OwnerCalls) => client.call('listRecipients'),
        ({ recipients: list }) =>
          list.length === 0 ? 'No recipients saved.' : list.map(line).join('\n'),
      ),
    );
  recipients
    .command('add <name> <address>')
    .description('save a recipient; its address is checksummed, a look-alike is flagged')
    .option('--network <chain...>', 'the chains it may be paid on (default: any configured)')
    .action(
      ownerAction(
        (client: OwnerCalls, name: string, address: string, o: { network?: string[] }) =>
          client.call('addRecipient', {
            body: { name, address, ...(o.network ? { networks: o.network } : {}) },
          }),
        (r) => `Saved ${line(r)}`,
      ),
    );
  recipients
    .command('archive <id>')
    .description('no new payout may name it; old payouts keep its name')
    .action(
      ownerAction(
        (client: OwnerCalls, id: string) => client.call('archiveRecipient', { params: { id } }),
        (r) => `Archived ${r.id} (${quoted(r.name)}, ${r.address}).`,
      ),
    );
  return recipients;
}
