import { Command } from 'commander';
import { globals } from './globals';
import { ownerClient } from './owner-client';
import { ownerAction } from './owner-action';
import { emit } from './output';

/** `purser sessions`: the window's live owner sessions; revoke one or all. */
export function sessionsCommand(): Command {
  const sessions = new Command('sessions')
    .description('list the owner window sessions (owner); revoke one or all')
    .action(
      ownerAction(
        async (client) => ({ sessions: (await client.call('listSessions')).sessions }),
        ({ sessions: list }) =>
          list.length === 0
            ? 'No live window sessions.'
            : list
                .map(
                  (s) =>
                    `${s.id}  ${s.label}  since ${s.created_at}  last used ${s.last_used_at}  ends ${s.expires_at} unless used`,
                )
                .join('\n'),
      ),
    );
  sessions
    .command('revoke [id]')
    .description('end one session (ses_…), or every session with --all')
    .option('--all', 'end every window session')
    .action(async (id: string | undefined, o: { all?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const client = ownerClient(g.home);
      if (o.all) {
        const { revoked } = await client.call('revokeAllSessions');
        return emit(!!g.json, { revoked }, () => `Ended ${revoked} session(s).`);
      }
      if (!id) throw new Error('name a session id (ses_…) or pass --all');
      const result = await client.call('revokeSession', { params: { id } });
      emit(!!g.json, result, () => `Ended session ${result.id}.`);
    });
  return sessions;
}
