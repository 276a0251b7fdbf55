import { Command, Option } from 'commander';
import { ownerClient } from './owner-client';
import { collect, emit } from './output';
import { globals } from './globals';

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
        o: { scope?: string[]; expiresAt?: string; label?: string },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const issued = await ownerClient(g.home).request<{ id: string; key: string }>(
          'POST',
          `/admin/v1/agents/${encodeURIComponent(agentId)}/keys`,
          {
            scopes: o.scope,
            expires_at: o.expiresAt,
            label: o.label,
          },
        );
        emit(!!g.json, issued, () => JSON.stringify({ id: issued.id, key: issued.key }));
        if (!g.json)
          process.stderr.write('This is the only time the key is shown. Store it now.\n');
      },
    );
  keys
    .command('list <agentId>')
    .description("an agent's keys (never their secrets)")
    .action(async (agentId: string, _o, cmd: Command) => {
      const g = globals(cmd);
      const { keys: list } = await ownerClient(g.home).request<{
        keys: Array<{
          id: string;
          prefix: string;
          last4: string;
          scopes: string[];
          revoked_at: string | null;
          expires_at: string | null;
        }>;
      }>('GET', `/admin/v1/agents/${encodeURIComponent(agentId)}/keys`);
      emit(
        !!g.json,
        list,
        () =>
          list
            .map(
              (k) =>
                `${k.id}  ${k.prefix}…${k.last4}  ${k.scopes.join(',')}  ${k.revoked_at ? `revoked ${k.revoked_at}` : k.expires_at ? `expires ${k.expires_at}` : 'active'}`,
            )
            .join('\n') || 'no keys',
      );
    });
  keys
    .command('revoke <keyId>')
    .description('revoke one key')
    .action(async (keyId: string, _o, cmd: Command) => {
      const g = globals(cmd);
      const key = await ownerClient(g.home).request<{ id: string; revoked_at: string }>(
        'POST',
        `/admin/v1/keys/${encodeURIComponent(keyId)}/revoke`,
      );
      emit(!!g.json, key, () => `revoked ${key.id} at ${key.revoked_at}`);
    });
  return keys;
}
