import { Command } from 'commander';
import { agentCommands } from './cli/agent-commands';
import { agentsCommand } from './cli/agents-command';
import { approvalCommands, budgetRequestsCommand } from './cli/approvals-command';
import { freezeCommands, fundingCommand, settingsCommand } from './cli/funding-command';
import { keysCommand } from './cli/keys-command';
import { ledgerCommand } from './cli/ledger-command';
import { loginCommand } from './cli/login-command';
import { mcpCommand } from './cli/mcp-command';
import { chainCommand } from './cli/chain-command';
import { CliError } from './cli/owner-client';
import { payCommand } from './cli/pay-command';
import { receiptsCommand } from './cli/receipts-command';
import { serveCommand } from './cli/serve';
import { visible } from '../shared/text/visible';
import { sessionsCommand } from './cli/sessions-command';

/** The `purser` command: the headless server and the owner's commands. */
export function buildProgram(): Command {
  const program = new Command('purser')
    .description('Purser: the local wallet that governs what AI agents spend')
    .option(
      '--home <dir>',
      'data folder (env PURSER_HOME; default: the app-data folder for Purser)',
    )
    .option('--json', 'machine-readable output')
    .showHelpAfterError();
  program.addCommand(serveCommand());
  program.addCommand(agentsCommand());
  program.addCommand(keysCommand());
  program.addCommand(fundingCommand());
  program.addCommand(settingsCommand());
  program.addCommand(ledgerCommand());
  program.addCommand(receiptsCommand());
  program.addCommand(loginCommand());
  program.addCommand(sessionsCommand());
  for (const command of approvalCommands()) program.addCommand(command);
  program.addCommand(budgetRequestsCommand());
  for (const command of freezeCommands()) program.addCommand(command);
  program.addCommand(chainCommand());
  program.addCommand(mcpCommand());
  for (const c of agentCommands()) program.addCommand(c);
  program.addCommand(payCommand());
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CliError) {
      // Server messages quote agents' text (names, merchants): shown, never obeyed.
      process.stderr.write(`purser: ${visible(error.message)}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(
      `purser: ${visible(error instanceof Error ? error.message : String(error))}\n`,
    );
    process.exitCode = 1;
  }
}
