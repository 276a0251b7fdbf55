import { ownerContract } from '../../../../shared/contract/owner';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { centsToMicros, microsToCentsFloor } from '../../../../shared/money';
import { toIso } from '../../../core/clock';
import { networkOf, type ChainConfig } from '../../../core/chain/chain-config';
import type { AccountView } from '../../../core/chain/chain-service';
import type { AllowanceView } from '../../../core/chain/allowances';
import type { ChainAccount } from '../../../core/chain/accounts';
import type { RouteContext, ZodApp } from '../../context';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

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

/** The owner's side of on-chain enforcement (docs/chain.md). Keys never leave the core. */
export function ownerChainRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const { chain } = wallet;

  app.get(
    ownerContract.chainSummary.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.chainSummary.response, ...errors } },
    },
    async () => ({
      unlocked: chain.unlocked,
      chains: chain.chains().map(chainOut),
      accounts: (await chain.accounts()).map(accountOut),
      allowances: (await chain.allowanceList()).map(allowanceOut),
    }),
  );

  app.put(
    ownerContract.configureChain.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.configureChain.params,
        body: ownerContract.configureChain.body,
        response: { 200: ownerContract.configureChain.response, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      return chainOut(
        await chain.configure({
          id: request.params.id,
          rpcUrl: b.rpc_url,
          chainId: b.chain_id,
          usdc: {
            ...(b.usdc_address !== undefined && { address: b.usdc_address as `0x${string}` }),
            ...(b.usdc_decimals !== undefined && { decimals: b.usdc_decimals }),
            ...(b.usdc_name !== undefined && { name: b.usdc_name }),
            ...(b.usdc_version !== undefined && { version: b.usdc_version }),
          },
        }),
      );
    },
  );

  app.put(
    ownerContract.setOwnerAccount.path,
    {
      config: owner,
      schema: {
        hide: true,
        body: ownerContract.setOwnerAccount.body,
        response: { 200: ownerContract.setOwnerAccount.response, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const account = await chain.setOwnerAccount({
        privateKey: b.private_key,
        generate: b.generate,
        address: b.address,
      });
      return accountOut({ ...account, balances: await chain.balanceOf(account.address) });
    },
  );

  app.post(
    ownerContract.createAgentWallet.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.createAgentWallet.params,
        response: { 200: ownerContract.createAgentWallet.response, ...errors },
      },
    },
    async (request) => {
      const account = await chain.createAgentWallet(request.params.id);
      return accountOut({ ...account, balances: await chain.balanceOf(account.address) });
    },
  );

  app.post(
    ownerContract.fundAgentWallet.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.fundAgentWallet.params,
        body: ownerContract.fundAgentWallet.body,
        response: { 200: ownerContract.fundAgentWallet.response, ...errors },
      },
    },
    async (request) => ({
      tx_hash: await chain.fundAgent(
        request.params.id,
        centsToMicros(request.body.amount_cents),
        request.body.chain,
      ),
    }),
  );

  app.put(
    ownerContract.setAllowance.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.setAllowance.params,
        body: ownerContract.setAllowance.body,
        response: { 200: ownerContract.setAllowance.response, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      return allowanceOut(
        await chain.allowances.set(request.params.id, {
          spender: b.spender,
          amountMicros: b.amount_cents === undefined ? undefined : centsToMicros(b.amount_cents),
          resetEachWindow: b.reset_each_window,
          chain: b.chain,
        }),
      );
    },
  );

  app.delete(
    ownerContract.revokeAllowance.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.revokeAllowance.params,
        response: { 200: ownerContract.revokeAllowance.response, ...errors },
      },
    },
    async (request) => allowanceOut(await chain.allowances.revoke(request.params.id)),
  );

  app.post(
    ownerContract.syncChain.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.syncChain.response, ...errors } },
    },
    async () => ({
      reports: (await chain.sync()).map((r) => ({
        chain: r.chain,
        to_block: r.toBlock,
        transfers: r.transfers,
        settled: r.settled,
        released: r.released,
        unmatched: r.unmatched,
      })),
    }),
  );
}
