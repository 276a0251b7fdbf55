/** The owner's side of on-chain enforcement (docs/chain.md). Keys never leave the core. */
import {
  accountView,
  allowanceBody,
  allowanceView,
  chainConfigBody,
  chainIdParams,
  chainSummary,
  chainView,
  fundBody,
  ownerAccountBody,
  syncReport,
} from '../schemas/chain';
import { walletFunded } from '../schemas/owner-answers';
import { idRoute, type OwnerRouteSpec } from './route';

export const chainRoutes = {
  /** Chains, accounts with their USDC balances, and allowances. */
  chainSummary: { method: 'GET', path: '/admin/v1/chain', response: chainSummary },
  /** Adds or changes a chain; checked against the chain itself. */
  configureChain: {
    method: 'PUT',
    path: '/admin/v1/chain/chains/:id',
    params: chainIdParams,
    body: chainConfigBody,
    response: chainView,
  },
  setOwnerAccount: {
    method: 'PUT',
    path: '/admin/v1/chain/owner-account',
    body: ownerAccountBody,
    response: accountView,
  },
  /** A Purser-held wallet for the agent; the key is sealed in Purser and never shown. */
  createAgentWallet: idRoute({
    method: 'POST',
    path: '/admin/v1/agents/:id/wallet',
    response: accountView,
  }),
  /** USDC from the owner's account to the agent's wallet, answered once confirmed. */
  fundAgentWallet: idRoute({
    method: 'POST',
    path: '/admin/v1/agents/:id/wallet/fund',
    body: fundBody,
    response: walletFunded,
  }),
  setAllowance: idRoute({
    method: 'PUT',
    path: '/admin/v1/agents/:id/allowance',
    body: allowanceBody,
    response: allowanceView,
  }),
  /** Sets the agent's allowance to zero on chain, answered once confirmed. */
  revokeAllowance: idRoute({
    method: 'DELETE',
    path: '/admin/v1/agents/:id/allowance',
    response: allowanceView,
  }),
  /** Follows every configured chain into the ledger now. */
  syncChain: { method: 'POST', path: '/admin/v1/chain/sync', response: syncReport },
} as const satisfies Record<string, OwnerRouteSpec>;
