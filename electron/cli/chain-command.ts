import { readFileSync } from 'node:fs';
import { Argument, Command, Option } from 'commander';
import type { OwnerAnswer } from '../../shared/contract/owner';
import { CHAIN_IDS, type ChainName } from '../../shared/domain';
import { ownerAction } from './owner-action';
import { usd, wholeNumber } from './output';

type Account = OwnerAnswer<'createAgentWallet'>;
type Allowance = OwnerAnswer<'setAllowance'>;

const balances = (a: Account) =>
  a.balances
    .map((b) => `${b.chain} ${b.usdc_cents === null ? 'unreachable' : usd(b.usdc_cents)}`)
    .join(', ') || 'no chain configured';

const allowanceLine = (a: Allowance) =>
  `${a.agent_id}  ${a.status}  spender ${a.spender}  ${a.amount_units} units  left ${a.left_units ?? '?'}  spent ${a.spent_units}`;

/** `purser chain …`: on-chain enforcement, for the owner (docs/chain.md). */
export function chainCommand(): Command {
  const chain = new Command('chain').description(
    'on-chain enforcement: chains, the owner account, agent wallets, allowances (owner)',
  );

  chain
    .command('show')
    .description('chains, accounts with balances, allowances')
    .action(
      ownerAction(
        (client) => client.call('chainSummary'),
        (s) =>
          [
            `keys: ${s.unlocked ? 'unlocked' : 'locked (start purser serve with PURSER_PASSPHRASE)'}`,
            ...s.chains.map(
              (c) =>
                `chain ${c.id}  ${c.network}  USDC ${c.usdc.address}  synced to block ${c.synced_block ?? '-'}`,
            ),
            ...s.accounts.map(
              (a) =>
                `${a.role === 'owner' ? 'owner' : `wallet of ${a.agent_id ?? '?'}`}  ${a.address}${a.can_sign ? '' : ' (watch-only)'}  ${balances(a)}`,
            ),
            ...s.allowances.map(allowanceLine),
          ].join('\n'),
      ),
    );

  chain
    .command('set')
    .description('add or change a chain; checked against the chain itself')
    .addArgument(new Argument('<chain>', 'which chain').choices(CHAIN_IDS))
    .requiredOption('--rpc <url>', 'JSON-RPC URL')
    .option('--chain-id <n>', 'chain id (the local chain)', wholeNumber('--chain-id'))
    .option(
      '--usdc <address>',
      'USDC contract (default for Base and Base Sepolia: the published one)',
    )
    .option('--usdc-decimals <n>', 'its decimals', wholeNumber('--usdc-decimals'))
    .option('--usdc-name <name>', 'its EIP-712 name')
    .option('--usdc-version <v>', 'its EIP-712 version')
    .action(
      ownerAction(
        (
          client,
          id: ChainName,
          o: {
            rpc: string;
            chainId?: number;
            usdc?: string;
            usdcDecimals?: number;
            usdcName?: string;
            usdcVersion?: string;
          },
        ) =>
          client.call('configureChain', {
            params: { id },
            body: {
              rpc_url: o.rpc,
              chain_id: o.chainId,
              usdc_address: o.usdc,
              usdc_decimals: o.usdcDecimals,
              usdc_name: o.usdcName,
              usdc_version: o.usdcVersion,
            },
          }),
        (c) =>
          `${c.id} (${c.network}) configured: USDC ${c.usdc.address}, ${c.usdc.decimals} decimals, domain ${c.usdc.name} v${c.usdc.version}`,
      ),
    );

  chain
    .command('owner')
    .description(
      "the owner's account: import a key (from a file, never the command line), generate one, or watch an address",
    )
    .addOption(
      new Option(
        '--import-key-file <path>',
        'file holding the private key ("-" for stdin)',
      ).conflicts(['generate', 'watch']),
    )
    .addOption(new Option('--generate', 'generate a new key').conflicts(['watch']))
    .option('--watch <address>', 'watch-only: Purser reads it, never signs')
    .action(
      ownerAction(
        (client, o: { importKeyFile?: string; generate?: boolean; watch?: string }) => {
          const privateKey =
            o.importKeyFile === undefined
              ? undefined
              : readFileSync(o.importKeyFile === '-' ? 0 : o.importKeyFile, 'utf8').trim();
          return client.call('setOwnerAccount', {
            body: { private_key: privateKey, generate: o.generate, address: o.watch },
          });
        },
        (a) =>
          `owner account ${a.address}${a.can_sign ? ' (key sealed)' : ' (watch-only)'}  ${balances(a)}`,
      ),
    );

  chain
    .command('wallet <agentId>')
    .description('create the agent’s Purser-held wallet (its key never leaves Purser)')
    .action(
      ownerAction(
        (client, agentId: string) => client.call('createAgentWallet', { params: { id: agentId } }),
        (a, agentId) => `${agentId} pays from ${a.address}  ${balances(a)}`,
      ),
    );

  chain
    .command('fund <agentId>')
    .description("send USDC from the owner's account to the agent's wallet")
    .requiredOption('--cents <n>', 'amount in cents', wholeNumber('--cents'))
    .addOption(new Option('--chain <chain>').choices(CHAIN_IDS))
    .action(
      ownerAction(
        (client, agentId: string, o: { cents: number; chain?: ChainName }) =>
          client.call('fundAgentWallet', {
            params: { id: agentId },
            body: { amount_cents: o.cents, chain: o.chain },
          }),
        (r, agentId, o) => `sent ${usd(o.cents)} to ${agentId}'s wallet: ${r.tx_hash}`,
      ),
    );

  chain
    .command('allow <agentId> <spender>')
    .description("grant the agent's own address an allowance from the owner's account")
    .option('--cents <n>', "amount in cents (default: the agent's budget)", wholeNumber('--cents'))
    .option('--reset-each-window', "set it again to the budget at each budget window's start")
    .addOption(new Option('--chain <chain>').choices(CHAIN_IDS))
    .action(
      ownerAction(
        (
          client,
          agentId: string,
          spender: string,
          o: { cents?: number; resetEachWindow?: boolean; chain?: ChainName },
        ) =>
          client.call('setAllowance', {
            params: { id: agentId },
            body: {
              spender,
              amount_cents: o.cents,
              reset_each_window: o.resetEachWindow,
              chain: o.chain,
            },
          }),
        allowanceLine,
      ),
    );

  chain
    .command('revoke <agentId>')
    .description("set the agent's allowance to zero on chain")
    .action(
      ownerAction(
        (client, agentId: string) => client.call('revokeAllowance', { params: { id: agentId } }),
        allowanceLine,
      ),
    );

  chain
    .command('sync')
    .description('follow the chain into the ledger now')
    .action(
      ownerAction(
        (client) => client.call('syncChain'),
        (r) =>
          r.reports
            .map(
              (x) =>
                `${x.chain}: to block ${x.to_block}, ${x.transfers} transfers, ${x.settled} settled, ${x.released} released, ${x.unmatched} unmatched`,
            )
            .join('\n') || 'no chain configured',
      ),
    );
  return chain;
}
