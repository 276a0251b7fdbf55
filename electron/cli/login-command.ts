import { Command } from 'commander';
import { ownerAction } from './owner-action';

/** `purser login`: a one-time link to the owner window (docs/trust-model.md). */
export function loginCommand(): Command {
  return new Command('login')
    .description('print a one-time link that opens the owner window in a browser')
    .action(
      ownerAction(
        async (client) => ({ url: (await client.call('createLoginLink')).url }),
        ({ url }) => url,
      ),
    );
}
