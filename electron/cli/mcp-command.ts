import { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { exactNumbersOnly } from '../mcp/exact-stdin';
import { mcpInstallCommand } from '../mcp/install';
import { createPurserMcpServer } from '../mcp/server';
import { agentClient } from './agent-env';
import { globals } from './globals';

/**
 * `purser mcp`: the agent's MCP server on stdin/stdout, until stdin closes. It is an agent,
 * not the owner: it holds only the spending key in PURSER_KEY (electron/cli/agent-env.ts),
 * so its tools can do what that key can and nothing more (docs/trust-model.md).
 */
export function mcpCommand(): Command {
  return new Command('mcp')
    .description(
      'MCP server over stdio for an agent (env PURSER_KEY: its spending key; PURSER_URL: where Purser listens)',
    )
    .addCommand(mcpInstallCommand())
    .action(async (_options: unknown, cmd: Command) => {
      // stdout carries the protocol and nothing else: anything that logs goes to stderr.
      console.log = console.info = console.debug = console.error;
      const client = agentClient(globals(cmd).home);
      const server = createPurserMcpServer(client);
      const transport = new StdioServerTransport(
        exactNumbersOnly(process.stdin, process.stdout),
        process.stdout,
      );
      // The SDK's transport does not watch for the end of stdin; the host closing it is
      // how it tells the server to stop.
      const ended = new Promise<void>((resolve) => {
        process.stdin.once('end', resolve);
        process.stdin.once('close', resolve);
      });
      await server.connect(transport);
      process.stderr.write(`purser mcp: serving the agent API of ${client.url} on stdio\n`);
      await ended;
      await server.close();
      // A long poll still in flight (up to a minute) would keep the process alive for a
      // client that is gone.
      setTimeout(() => process.exit(), 500).unref();
    });
}
