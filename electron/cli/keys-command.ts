import { Command, Option } from 'commander';
import { ownerClient } from './owner-client';
import { collect, emit } from './output';
import { globals } from './globals';
import { ownerAction } from './owner-action';
import type { Scope } from '../../shared/domain';

export function keysCommand(): Command {
  const keys = new Command('keys').description('issue and revoke spending keys (owner)');
  keys
    .command('issue <agentId>')
    .description('issue a spending key; prints {"id","key"}: the only time the key is shown')
    .addOption(
      new Option('--scope <scope>', 'limit the key to a scope (repeat)')
        .choices(['spend.read', 'spend.write'])
        .argParser(collect),
    )
    .option('--expires-at <iso>', 'the key stops working at this time (ISO 8601)')
    .option('--label <label>', 'a note for yourself')
    .action(
      async (
        agentId: string,
        o: { scope?: Scope[]; expiresAt?: string; label?: string },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const issued = await ownerClient(g.home).call('issueKey', {
          params: { id: agentId },
          body: { scopes: o.scope, expires_at: o.expiresAt, label: o.label },
        });
        emit(!!g.json, issued, () => JSON.stringify({ id: issued.id, key: issued.key }));
        if (!g.json)
          process.stderr.write('This is the only time the key is shown. Store it now.\n');
      },
    );
  keys
    .command('list <agentId>')
    .description("an agent's keys (never their secrets)")
    .action(
      ownerAction(
        async (client, agentId: string) =>
          (await client.call('listKeys', { params: { id: agentId } })).keys,
        (list) =>
          list
            .map(
              (k) =>
                `${k.id}  ${k.prefix}…${k.last4}  ${k.scopes.join(',')}  ${k.revoked_at ? `revoked ${k.revoked_at}` : k.expires_at ? `expires ${k.expires_at}` : 'active'}`,
            )
            .join('\n') || 'no keys',
      ),
    );
  keys
    .command('revoke <keyId>')
    .description('revoke one key')
    .action(
      ownerAction(
        (client, keyId: string) => client.call('revokeKey', { params: { id: keyId } }),
        (key) => `revoked ${key.id} at ${key.revoked_at}`,
      ),
    );
  return keys;
}
