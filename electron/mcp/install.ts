import { Command, Option } from 'commander';
import { join, resolve } from 'node:path';
import { PurserApiError, PurserClient } from '../../shared/client';
import { readServerInfo } from '../core/server-info';
import { packageRoot } from '../core/package-root';
import { defaultHome } from '../core/paths';
import { globals } from '../cli/globals';
import { CliError } from '../cli/cli-error';
import { ownerClient } from '../cli/owner-client';
import { emit, visible } from '../cli/output';
import { installBundle } from './bundle';
import {
  MCP_CLIENTS,
  configPath,
  isObject,
  readConfig,
  sameJson,
  writeConfig,
  type Json,
  type McpClient,
} from './install-config';
import { homeToWrite, nodeCommand, pinnedUrl } from './install-place';

const CLIENT_NAMES: Record<McpClient, string> = {
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
};

/**
 * `electron/bin/purser.mjs`, absolute: the client starts it with no working directory.
 * Taken from the package's root, as this module also runs bundled into out/cli/.
 */
export const PURSER_BIN = join(packageRoot(), 'electron', 'bin', 'purser.mjs');

/** What --print puts where the key goes: it issues none (see mcpInstallCommand). */
export const KEY_PLACEHOLDER = 'psk_…';

/** What the entry says besides the key: how to start Node, and where Purser is. */
interface EntryPlace {
  command: string;
  url?: string;
  home?: string;
}

/** The variables of the entry that install sets; any other variable a user added is kept. */
const OURS = ['PURSER_KEY', 'PURSER_URL', 'PURSER_HOME'];

/**
 * The entry that starts `purser mcp` with the agent's key. Fields a user added to an entry
 * of the same name (Cursor's `disabled`, more env) are kept; ours are set, and a PURSER_URL
 * or PURSER_HOME that no longer applies (an earlier install pinned the port) is removed.
 */
function serverEntry(key: string, place: EntryPlace, current: unknown): Json {
  const base = isObject(current) ? current : {};
  const env = Object.fromEntries(
    Object.entries(isObject(base.env) ? base.env : {}).filter(([name]) => !OURS.includes(name)),
  );
  return {
    ...base,
    command: place.command,
    args: [PURSER_BIN, 'mcp'],
    env: {
      ...env,
      PURSER_KEY: key,
      ...(place.home ? { PURSER_HOME: place.home } : {}),
      ...(place.url ? { PURSER_URL: place.url } : {}),
    },
  };
}

/**
 * The agent and key behind the key already in an entry, if it still works against the
 * running server: asked through the agent API (`GET /v1/policy`), as the MCP server would.
 * A key that is refused (unknown, revoked, expired, another data folder's) is undefined.
 */
async function keyInEntry(entry: unknown, url: string) {
  const key = isObject(entry) && isObject(entry.env) ? entry.env.PURSER_KEY : undefined;
  if (typeof key !== 'string' || !/^psk_(live|test)_/.test(key)) return undefined;
  try {
    const policy = await new PurserClient({ key, url, retries: 1 }).policy();
    return { key, agentId: policy.agent_id, keyId: policy.key.id };
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
      const node = nodeCommand(o.client);
      const home = homeToWrite(g.home);
      /** Where the entry is told to find Purser, given where it runs now (if it does). */
      const place = (runningUrl: string | undefined): EntryPlace => ({
        command: node.command,
        url: pinnedUrl(process.env, runningUrl),
        home,
      });
      const versionNote = () => {
        if (node.versioned)
          process.stderr.write(
            `The entry starts Node by the path of one version (${visible(node.command)})${o.client === 'claude-code' ? '' : `, as ${client} does not read your shell's PATH`}. After you remove that version, run this command again.\n`,
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
          writeHome: home,
        });
      }
      if (o.print) {
        const running = readServerInfo(g.home ?? defaultHome())?.url;
        const entry = serverEntry(KEY_PLACEHOLDER, place(running), undefined);
        emit(true, { mcpServers: { [o.name]: entry } }, () => '');
        process.stderr.write(
          `Add this to ${visible(path)}, with a key from: purser keys issue ${visible(o.agent)} --label mcp:${o.client}\n`,
        );
        versionNote();
        return;
      }
      const config = readConfig(path);
      const owner = ownerClient(g.home);
      const current = config.servers[o.name];
      const found = await keyInEntry(current, owner.url);
      const where = `${client}'s MCP configuration (${visible(path)}, entry ${JSON.stringify(visible(o.name))})`;
      const { url: pinned } = place(owner.url);
      const report = {
        client: o.client,
        config: path,
        name: o.name,
        agent_id: o.agent,
        command: node.command,
        /** PURSER_URL in the entry, or null: `purser mcp` finds the server (server.json). */
        pinned_url: pinned ?? null,
      };
      const located = pinned
        ? `server ${pinned} (pinned: PURSER_PORT=${new URL(pinned).port})`
        : `server found through ${visible(home ?? 'the default data folder')} (now ${owner.url})`;

      let credential: { key: string; keyId: string };
      let issued = false;
      if (found?.agentId === o.agent) {
        const wanted = serverEntry(found.key, place(owner.url), current);
        if (sameJson(wanted, current)) {
          emit(
            !!g.json,
            { status: 'unchanged', ...report, key_id: found.keyId, url: owner.url },
            () =>
              `Purser is already in ${where} for ${visible(o.agent)} with a working key (${found.keyId}); nothing changed.`,
          );
          return;
        }
        credential = found;
      } else {
        const key = await owner.call('issueKey', {
          params: { id: o.agent },
          body: { label: `mcp:${o.client}` },
        });
        credential = { key: key.key, keyId: key.id };
        issued = true;
      }
      const { key, keyId } = credential;
      const servers = {
        ...config.servers,
        [o.name]: serverEntry(key, place(owner.url), current),
      };
      let backup: string | undefined;
      try {
        backup = writeConfig(config, { ...config.data, mcpServers: servers });
      } catch (error) {
        // A key that went into no file is only a liability: take it back.
        if (issued) await owner.call('revokeKey', { params: { id: keyId } }).catch(() => undefined);
        throw new CliError(
          `Cannot write ${path}: ${(error as Error).message}${issued ? ' (the key issued for it was revoked)' : ''}`,
        );
      }
      const replaced = found && found.agentId !== o.agent ? found : undefined;
      const status = issued ? 'installed' : 'updated';
      emit(
        !!g.json,
        { status, ...report, key_id: keyId, url: owner.url, backup: backup ?? null },
        () =>
          [
            issued ? `Purser is now in ${where}.` : `Updated Purser's entry in ${where}.`,
            `  agent ${visible(o.agent)}, key ${keyId}${issued ? ` (new, label mcp:${o.client})` : ' (kept)'}, ${located}`,
            `  started with ${visible(node.command)}`,
            ...(backup ? [`  previous file kept as ${visible(backup)}`] : []),
            `Restart ${client} to load it.`,
          ].join('\n'),
      );
      versionNote();
      if (replaced)
        process.stderr.write(
          `The entry held a working key of ${visible(replaced.agentId)} (${replaced.keyId}); it still works. Revoke it with \`purser keys revoke ${replaced.keyId}\` if nothing else uses it.\n`,
        );
    });
}
