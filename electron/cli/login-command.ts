import { Command } from 'commander';
import { globals } from './globals';
import { emit } from './output';
import { ownerClient } from './owner-client';

/** `purser login`: a one-time link to the owner window (docs/trust-model.md). */
export function loginCommand(): Command {
  return new Command('login')
    .description('print a one-time link that opens the owner window in a browser')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd);
      const { url } = await ownerClient(g.home).call('createLoginLink');
      emit(!!g.json, { url }, () => url);
    });
}
