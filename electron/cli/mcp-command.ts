import { Command } from 'commander';
import { mcpInstallCommand } from '../mcp/install';
import { serveOverStdio } from '../mcp/stdio';
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
      await serveOverStdio(agentClient(globals(cmd).home));
    });
}
