import { centsToMicros, microsToCentsFloor } from '../../../../shared/money';
import { toIso } from '../../../core/clock';
import { networkOf, type ChainConfig } from '../../../core/chain/chain-config';
import type { AccountView } from '../../../core/chain/chain-service';
import type { AllowanceView } from '../../../core/chain/allowances';
import type { ChainAccount } from '../../../core/chain/account-repository';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';

const chainOut = (c: ChainConfig) => ({
  id: c.id,
  chain_id: c.chainId,
  network: networkOf(c),
  rpc_url: c.rpcUrl,
  usdc: c.usdc,
  synced_block: c.syncedBlock,
});

const accountOut = (a: ChainAccount & Partial<Pick<AccountView, 'balances'>>) => ({
  id: a.id,
  role: a.role,
  agent_id: a.agentId,
  address: a.address,
  can_sign: a.canSign,
  sealed_with: a.sealedWith,
  balances: (a.balances ?? []).map((b) => ({
    chain: b.chain,
    usdc_units: b.units === null ? null : b.units.toString(),
    usdc_cents: b.micros === null ? null : microsToCentsFloor(b.micros),
  })),
});

const allowanceOut = (a: AllowanceView) => ({
  agent_id: a.agentId,
  chain: a.chain,
  spender: a.spender,
  amount_units: a.units.toString(),
  status: a.status,
  reset_each_window: a.resetEachWindow,
  left_units: a.left === null ? null : a.left.toString(),
  spent_units: a.spent.toString(),
  tx_hash: a.txHash,
  updated_at: toIso(a.updatedAt),
});

type ChainRoutes =
  | 'chainSummary'
  | 'configureChain'
  | 'setOwnerAccount'
  | 'createAgentWallet'
  | 'fundAgentWallet'
  | 'setAllowance'
  | 'revokeAllowance'
  | 'syncChain';

/** The owner's side of on-chain enforcement (docs/chain.md). Keys never leave the core. */
export function ownerChainHandlers({ wallet }: RouteContext): OwnerHandlerGroup<ChainRoutes> {
  const { chain } = wallet;
  const withBalances = async (account: ChainAccount) =>
    accountOut({ ...account, balances: await chain.balanceOf(account.address) });
  return {
    chainSummary: async () => ({
      unlocked: chain.unlocked,
      chains: chain.chains().map(chainOut),
      accounts: (await chain.accounts()).map(accountOut),
      allowances: (await chain.allowanceList()).map(allowanceOut),
    }),
    configureChain: async ({ params, body: b }) =>
      chainOut(
        await chain.configure({
          id: params.id,
          rpcUrl: b.rpc_url,
          chainId: b.chain_id,
          usdc: {
            ...(b.usdc_address !== undefined && { address: b.usdc_address as `0x${string}` }),
            ...(b.usdc_decimals !== undefined && { decimals: b.usdc_decimals }),
            ...(b.usdc_name !== undefined && { name: b.usdc_name }),
            ...(b.usdc_version !== undefined && { version: b.usdc_version }),
          },
        }),
      ),
    setOwnerAccount: async ({ body: b }) =>
      withBalances(
        await chain.setOwnerAccount({
          privateKey: b.private_key,
          generate: b.generate,
          address: b.address,
        }),
      ),
    createAgentWallet: async ({ params }) => withBalances(await chain.createAgentWallet(params.id)),
    fundAgentWallet: async ({ params, body }) => ({
      tx_hash: await chain.fundAgent(params.id, centsToMicros(body.amount_cents), body.chain),
    }),
    setAllowance: async ({ params, body: b }) =>
      allowanceOut(
        await chain.allowances.set(params.id, {
          spender: b.spender,
          amountMicros: b.amount_cents === undefined ? undefined : centsToMicros(b.amount_cents),
          resetEachWindow: b.reset_each_window,
          chain: b.chain,
        }),
      ),
    revokeAllowance: async ({ params }) => allowanceOut(await chain.allowances.revoke(params.id)),
    syncChain: async () => ({
      reports: (await chain.sync()).map((r) => ({
        chain: r.chain,
        to_block: r.toBlock,
        transfers: r.transfers,
        settled: r.settled,
        released: r.released,
        unmatched: r.unmatched,
      })),
    }),
  };
}
