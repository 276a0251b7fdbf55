import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { PurserApiError, PurserClient } from '../../shared/client';
import { readServerInfo } from '../core/server-info';
import { defaultHome } from '../core/paths';
import { globals } from '../cli/globals';
import { CliError } from '../cli/cli-error';
import { ownerClient } from '../cli/owner-client';
import { emit, visible } from '../cli/output';
import { installBundle } from './bundle';
import { MCP_CLIENTS, configPath, type McpClient } from './install-config';
import {
  CLIENT_NAMES,
  InstallWriteError,
  KEY_PLACEHOLDER,
  entryPlace,
  installEntry,
  serverEntry,
  type InstallKeys,
} from './install-entry';
import { homeToWrite, pinnedUrl } from './install-place';

export { KEY_PLACEHOLDER, PURSER_BIN } from './install-entry';

/**
 * The agent and key behind a key already in an entry, if it still works against the
 * running server: asked through the agent API (`GET /v1/policy`), as the MCP server would.
 * A key that is refused (unknown, revoked, expired, another data folder's) is undefined.
 */
async function checkKey(key: string, url: string) {
  try {
    const policy = await new PurserClient({ key, url, retries: 1 }).policy();
    return { agentId: policy.agent_id, keyId: policy.key.id };
  } catch (error) {
    const refused = error instanceof PurserApiError && [401, 403].includes(error.status);
    if (refused) return undefined;
    throw new CliError(`Cannot check the key already there: ${(error as Error).message}`);
  }
}

interface InstallOptions {
  client: McpClient;
  agent: string;
  print?: boolean;
  config?: string;
  name: string;
  mcpb?: string;
}

/**
 * `purser mcp install`: issues the agent a spending key (labelled `mcp:<client>`) through
 * the owner API and adds `purser mcp` to the client's `mcpServers`, keeping everything else
 * in the file. Run again, it changes nothing while the entry's key still works for that
 * agent (no second key); if only the command or where Purser is changed (nodeCommand,
 * pinnedUrl, homeToWrite), it rewrites the entry with the same key. `--print` shows the entry with a placeholder key and issues none, so printing
 * never leaves a live key behind that nobody stores (docs/trust-model.md: a key is the
 * agent's whole authority).
 */
export function mcpInstallCommand(): Command {
  return new Command('install')
    .description("add Purser to an MCP client's configuration, with a new key for the agent")
    .addOption(
      new Option('--client <client>', 'the MCP client').choices(MCP_CLIENTS).makeOptionMandatory(),
    )
    .requiredOption('--agent <agentId>', 'the agent the client spends as (agt_…)')
    .option('--print', `only print the entry, with ${KEY_PLACEHOLDER} for the key; issue none`)
    .option('--config <file>', "the client's configuration file (default: where it reads it)")
    .option('--name <name>', 'the server name in mcpServers', 'purser')
    .option(
      '--mcpb <file>',
      'claude-desktop only: write an MCP Bundle (.mcpb) to open with Claude Desktop, instead of editing its configuration',
    )
    .addHelpText(
      'after',
      '\nThe previous file is kept as FILE.purser-backup-<time>. The new one is written 0600.\n' +
        'The entry finds Purser through its data folder (server.json), whatever port it runs\n' +
        'on; it names a URL (PURSER_URL) only when PURSER_PORT is set to the fixed port Purser\n' +
        'runs on. Node is started by the path your PATH finds it at.',
    )
    .action(async (o: InstallOptions, cmd: Command) => {
      const g = globals(cmd);
      const client = CLIENT_NAMES[o.client];
      const path = resolve(o.config ?? configPath(o.client));
      const versionNote = (versioned: boolean, command: string) => {
        if (versioned)
          process.stderr.write(
            `The entry starts Node by the path of one version (${visible(command)})${o.client === 'claude-code' ? '' : `, as ${client} does not read your shell's PATH`}. After you remove that version, run this command again.\n`,
          );
      };
      if (o.mcpb !== undefined) {
        if (o.client !== 'claude-desktop')
          throw new CliError(
            '--mcpb makes a bundle for Claude Desktop: use --client claude-desktop.',
            2,
          );
        return installBundle({
          agent: o.agent,
          file: o.mcpb,
          home: g.home,
          json: !!g.json,
          url: pinnedUrl(process.env, readServerInfo(g.home ?? defaultHome())?.url),
          writeHome: homeToWrite(g.home),
        });
      }
      if (o.print) {
        const running = readServerInfo(g.home ?? defaultHome())?.url;
        const place = entryPlace(o.client, g.home, running);
        const entry = serverEntry(KEY_PLACEHOLDER, place);
        emit(true, { mcpServers: { [o.name]: entry } }, () => '');
        process.stderr.write(
          `Add this to ${visible(path)}, with a key from: purser keys issue ${visible(o.agent)} --label mcp:${o.client}\n`,
        );
        versionNote(place.versioned, place.command);
        return;
      }
      const owner = ownerClient(g.home);
      const place = entryPlace(o.client, g.home, owner.url);
      const where = `${client}'s MCP configuration (${visible(path)}, entry ${JSON.stringify(visible(o.name))})`;
      const keys: InstallKeys = {
        check: (key) => checkKey(key, owner.url),
        issue: async () => {
          const key = await owner.call('issueKey', {
            params: { id: o.agent },
            body: { label: `mcp:${o.client}` },
          });
          return { key: key.key, keyId: key.id };
        },
        revoke: async (keyId) => {
          await owner.call('revokeKey', { params: { id: keyId } });
        },
      };
      let result;
      try {
        result = await installEntry({
          client: o.client,
          agentId: o.agent,
          path,
          name: o.name,
          place,
          keys,
        });
      } catch (error) {
        if (error instanceof InstallWriteError) throw new CliError(error.message);
        throw error;
      }
      const report = {
        client: o.client,
        config: path,
        name: o.name,
        agent_id: o.agent,
        command: place.command,
        /** PURSER_URL in the entry, or null: `purser mcp` finds the server (server.json). */
        pinned_url: place.url ?? null,
      };
      const located = place.url
        ? `server ${place.url} (pinned: PURSER_PORT=${new URL(place.url).port})`
        : `server found through ${visible(place.home ?? 'the default data folder')} (now ${owner.url})`;
      const { status, keyId, backup, replaced } = result;
      if (status === 'unchanged') {
        emit(
          !!g.json,
          { status, ...report, key_id: keyId, url: owner.url },
          () =>
            `Purser is already in ${where} for ${visible(o.agent)} with a working key (${keyId}); nothing changed.`,
        );
        return;
      }
      const issued = status === 'installed';
      emit(
        !!g.json,
        { status, ...report, key_id: keyId, url: owner.url, backup: backup ?? null },
        () =>
          [
            issued ? `Purser is now in ${where}.` : `Updated Purser's entry in ${where}.`,
            `  agent ${visible(o.agent)}, key ${keyId}${issued ? ` (new, label mcp:${o.client})` : ' (kept)'}, ${located}`,
            `  started with ${visible(place.command)}`,
            ...(backup ? [`  previous file kept as ${visible(backup)}`] : []),
            `Restart ${client} to load it.`,
          ].join('\n'),
      );
      versionNote(place.versioned, place.command);
      if (replaced)
        process.stderr.write(
          `The entry held a working key of ${visible(replaced.agentId)} (${replaced.keyId}); it still works. Revoke it with \`purser keys revoke ${replaced.keyId}\` if nothing else uses it.\n`,
        );
    });
}
