import { Command } from 'commander';
import { CliError } from './cli/cli-error';
import { packageVersion } from './core/package-root';
import { visible } from '../shared/text/visible';

/**
 * Each command's module, loaded only when that command runs: an agent's `purser balance`
 * must not load Fastify, the wallet or viem (hundreds of modules) to make one HTTP call
 * (docs/performance.md, "Cold start"). `--help` and an unknown word load them all.
 * test/unit/cli-commands.test.ts checks this table against the commands each module makes.
 */
type Commands = () => Promise<Command[]>;

const serve: Commands = async () => [(await import('./cli/serve')).serveCommand()];
const agents: Commands = async () => [(await import('./cli/agents-command')).agentsCommand()];
const keys: Commands = async () => [(await import('./cli/keys-command')).keysCommand()];
const funding: Commands = async () => [(await import('./cli/funding-command')).fundingCommand()];
const settings: Commands = async () => [(await import('./cli/funding-command')).settingsCommand()];
const ledger: Commands = async () => [(await import('./cli/ledger-command')).ledgerCommand()];
const receipts: Commands = async () => [(await import('./cli/receipts-command')).receiptsCommand()];
const login: Commands = async () => [(await import('./cli/login-command')).loginCommand()];
const sessions: Commands = async () => [(await import('./cli/sessions-command')).sessionsCommand()];
const recipients: Commands = async () => [
  (await import('./cli/recipients-command')).recipientsCommand(),
];
const approvals: Commands = async () =>
  (await import('./cli/approvals-command')).approvalCommands();
const budgetRequests: Commands = async () => [
  (await import('./cli/approvals-command')).budgetRequestsCommand(),
];
const freeze: Commands = async () => (await import('./cli/funding-command')).freezeCommands();
const chain: Commands = async () => [(await import('./cli/chain-command')).chainCommand()];
const mcp: Commands = async () => [(await import('./cli/mcp-command')).mcpCommand()];
const agent: Commands = async () => (await import('./cli/agent-commands')).agentCommands();
const pay: Commands = async () => [(await import('./cli/pay-command')).payCommand()];
const payout: Commands = async () => [(await import('./cli/payout-command')).payoutCommand()];

/** Each command name (and alias) to the module that makes it. */
export const COMMAND_MODULES: Readonly<Record<string, Commands>> = {
  serve,
  agents,
  keys,
  funding,
  settings,
  ledger,
  receipts,
  login,
  sessions,
  approvals,
  approve: approvals,
  decline: approvals,
  settle: approvals,
  'budget-requests': budgetRequests,
  freeze,
  panic: freeze,
  unfreeze: freeze,
  chain,
  recipients,
  mcp,
  spend: agent,
  status: agent,
  balance: agent,
  policy: agent,
  budget: agent,
  receipt: agent,
  payout,
  pay,
};

/** Each module once, in the order `purser --help` lists their commands. */
const MODULES = [...new Set(Object.values(COMMAND_MODULES))];

/** The first word of argv that is not a global option: the command to run, if any. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--home') i++;
    else if (word.startsWith('--home=') || word === '--json') continue;
    else return word.startsWith('-') ? undefined : word;
  }
  return undefined;
}

/** The `purser` command with the commands `argv` needs (all of them by default). */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('purser')
    .description('Purser: the local wallet that governs what AI agents spend')
    .version(packageVersion(), '-V, --version', 'print the version of Purser')
    .option(
      '--home <dir>',
      'data folder (env PURSER_HOME; default: the app-data folder for Purser)',
    )
    .option('--json', 'machine-readable output')
    .showHelpAfterError();
  const word = argv && commandWord(argv);
  const only = word === undefined ? undefined : COMMAND_MODULES[word];
  const versionOnly = !word && argv?.some((a) => a === '-V' || a === '--version');
  for (const commands of only ? [only] : versionOnly ? [] : MODULES) {
    for (const command of await commands()) program.addCommand(command);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
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
