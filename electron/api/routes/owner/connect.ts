import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { MCP_CONFIG_CLIENTS, type connectAnswer } from '../../../../shared/schemas/owner-api';
import { CliError } from '../../../cli/cli-error';
import { invalidRequest, invalidTransition, PurserError } from '../../../core/errors';
import { requireScope, type ApiKey } from '../../../core/keys/key-repository';
import { packageRoot, packageVersion } from '../../../core/package-root';
import { DEFAULT_PORT } from '../../../core/server-info';
import { configPath, type McpClient } from '../../../mcp/install-config';
import {
  CLIENT_NAMES,
  InstallWriteError,
  PURSER_BIN,
  entryPlace,
  installEntry,
  serverEntry,
  type InstallKeys,
} from '../../../mcp/install-entry';
import { connectSnippets } from '../../connect-snippets';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import { keyView } from '../../owner-views';

type Answer = z.input<typeof connectAnswer>;

const isMcp = (client: string): client is McpClient =>
  (MCP_CONFIG_CLIENTS as readonly string[]).includes(client);

/**
 * The user's home folder as the server's environment names it (HOME, or USERPROFILE on
 * Windows), where the MCP clients keep their configuration: the same folder
 * `purser mcp install` would use, run by the owner who runs this Purser.
 */
function userHome(env: NodeJS.ProcessEnv): string {
  const named = process.platform === 'win32' ? env.USERPROFILE : env.HOME;
  return named ? resolve(named) : homedir();
}

/**
 * `POST /admin/v1/agents/:id/connect`: the window's Connect (docs/clients.md, "From the
 * window"). Owner-only like every owner route (a window session or the owner token, as
 * `Authorization: Bearer`, with the Host and Origin checks: docs/trust-model.md), so a web
 * page the owner visits cannot call it. It takes a client's name and nothing else: the
 * configuration file is the client's own, derived here from the server's environment, so
 * no caller can make Purser write anywhere else.
 */
export function ownerConnectHandlers(context: RouteContext): OwnerHandlerGroup<'connectAgent'> {
  const { wallet } = context;
  return {
    connectAgent: async ({ params, body, reply }) => {
      const agent = wallet.agents.require(params.id);
      if (agent.status === 'revoked')
        throw invalidTransition(`Agent ${agent.id} is revoked; it cannot get new keys.`);
      const { client } = body;
      const url = context.baseUrl();
      const env = context.clientEnv;
      const notes: string[] = [];
      // The key the client gets, as the owner's list shows it; the plaintext is only here.
      let issuedView: ApiKey | undefined;
      const issue = async (label: string) => {
        const { key, plaintext } = await wallet.keys.issue(agent.id, { label });
        issuedView = key;
        return { key: plaintext, keyId: key.id };
      };
      // Nothing in this answer may be cached: it carries a key in plaintext.
      reply.header('Cache-Control', 'no-store');
      const answer = (
        fields: Pick<Answer, 'key_id' | 'config' | 'snippets'>,
        plaintext: string | undefined,
      ): Answer => ({
        client,
        agent_id: agent.id,
        url,
        key: issuedView && plaintext ? { ...keyView(issuedView), key: plaintext } : null,
        ...fields,
        notes,
      });

      if (!isMcp(client)) {
        if (body.write_config)
          throw invalidRequest(
            `write_config is for the MCP clients (${MCP_CONFIG_CLIENTS.join(', ')}); ${client} gets a snippet to paste.`,
            { client },
          );
        const { key, keyId } = await issue(`connect:${client}`);
        const socket = context.agentSocket ?? join(context.home, 'agent.sock');
        if (client === 'container' && context.agentSocket === undefined)
          notes.push(
            `Purser is not serving the agent socket now: start it with \`purser serve --agent-socket\` and it will be at ${socket}.`,
          );
        if (
          client !== 'container' &&
          new URL(url).port !== String(DEFAULT_PORT) &&
          !env.PURSER_PORT
        )
          notes.push(
            `PURSER_URL is the port Purser listens on now; if it restarts on another port, set the new one (or start Purser with --port to keep one).`,
          );
        const snippets = connectSnippets(client, {
          key,
          url,
          purserBin: PURSER_BIN,
          agentSocket: socket,
          clientTarball: join(packageRoot(), 'out', `purser-client-${packageVersion()}.tgz`),
        });
        return answer({ key_id: keyId, config: null, snippets }, key);
      }

      const name = CLIENT_NAMES[client];
      const path = configPath(client, env, process.platform, userHome(env));
      const place = entryPlace(client, context.home, url, env);
      if (place.versioned)
        notes.push(
          `The entry starts Node by the path of one version (${place.command})${client === 'claude-code' ? '' : `, as ${name} does not read your shell's PATH`}. After you remove that version, connect again.`,
        );

      if (!body.write_config) {
        const { key, keyId } = await issue(`mcp:${client}`);
        const entry = serverEntry(key, place);
        notes.push(`Add this to ${path} (under "mcpServers"), then restart ${name}.`);
        const text = `${JSON.stringify({ mcpServers: { purser: entry } }, null, 2)}\n`;
        return answer(
          {
            key_id: keyId,
            config: { path, written: false, status: null, backup: null },
            snippets: [{ title: path, language: 'json', text }],
          },
          key,
        );
      }

      const keys: InstallKeys = {
        check: async (key) => {
          try {
            const auth = wallet.keys.authenticate(key);
            requireScope(auth, 'spend.read');
            return { agentId: auth.agentId, keyId: auth.keyId };
          } catch (error) {
            if (error instanceof PurserError) return undefined;
            throw error;
          }
        },
        issue: () => issue(`mcp:${client}`),
        revoke: async (keyId) => {
          await wallet.keys.revoke(keyId);
          issuedView = undefined;
        },
      };
      let result;
      try {
        result = await installEntry({
          client,
          agentId: agent.id,
          path,
          name: 'purser',
          place,
          keys,
        });
      } catch (error) {
        // The file is not one Purser can merge into, or cannot be written: said as it is,
        // and nothing was left behind (a key issued for it is revoked).
        if (error instanceof CliError || error instanceof InstallWriteError)
          throw invalidTransition(error.message, { path });
        throw error;
      }
      if (result.replaced)
        notes.push(
          `The entry held a working key of ${result.replaced.agentId} (${result.replaced.keyId}); it still works. Revoke it if nothing else uses it.`,
        );
      notes.push(
        result.status === 'unchanged'
          ? `${name} already has Purser with a working key of this agent (${result.keyId}); nothing changed.`
          : `Restart ${name} to load it.`,
      );
      return answer(
        {
          key_id: result.keyId,
          config: {
            path,
            written: result.status !== 'unchanged',
            status: result.status,
            backup: result.backup ?? null,
          },
          snippets: [],
        },
        result.issued,
      );
    },
  };
}
