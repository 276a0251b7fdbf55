import {
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  http,
  type Account,
  type Chain,
  type PublicClient,
} from 'viem';
import type { ChainConfig } from './chain-config';

/** The token ABI Purser uses: ERC-20, EIP-3009's authorizations and EIP-2612's permit. */
export const usdcAbi = [
  ...erc20Abi,
  {
    type: 'function',
    name: 'authorizationState',
    stateMutability: 'view',
    inputs: [
      { name: 'authorizer', type: 'address' },
      { name: 'nonce', type: 'bytes32' },
    ],
    outputs: [{ type: 'bool' }],
  },
  {
    type: 'event',
    name: 'AuthorizationUsed',
    inputs: [
      { name: 'authorizer', type: 'address', indexed: true },
      { name: 'nonce', type: 'bytes32', indexed: true },
    ],
  },
  {
    type: 'event',
    name: 'AuthorizationCanceled',
    inputs: [
      { name: 'authorizer', type: 'address', indexed: true },
      { name: 'nonce', type: 'bytes32', indexed: true },
    ],
  },
  // EIP-3009 as USDC (FiatToken v2) and OpenZeppelin's ERC3009 both offer it: v, r, s.
  {
    type: 'function',
    name: 'transferWithAuthorization',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'from', type: 'address' },
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'validAfter', type: 'uint256' },
      { name: 'validBefore', type: 'uint256' },
      { name: 'nonce', type: 'bytes32' },
      { name: 'v', type: 'uint8' },
      { name: 'r', type: 'bytes32' },
      { name: 's', type: 'bytes32' },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'cancelAuthorization',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'authorizer', type: 'address' },
      { name: 'nonce', type: 'bytes32' },
      { name: 'v', type: 'uint8' },
      { name: 'r', type: 'bytes32' },
      { name: 's', type: 'bytes32' },
    ],
    outputs: [],
  },
  // EIP-2612, as USDC has it: how Permit2 gets its allowance for x402 upto (x402-upto.ts).
  {
    type: 'function',
    name: 'nonces',
    stateMutability: 'view',
    inputs: [{ name: 'owner', type: 'address' }],
    outputs: [{ type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'permit',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'owner', type: 'address' },
      { name: 'spender', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
      { name: 'v', type: 'uint8' },
      { name: 'r', type: 'bytes32' },
      { name: 's', type: 'bytes32' },
    ],
    outputs: [],
  },
] as const;

export function viemChain(config: ChainConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.id,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

/** One viem client per chain and RPC URL, made on first use. */
export class RpcPool {
  private readonly clients = new Map<string, PublicClient>();

  public(config: ChainConfig): PublicClient {
    const id = `${config.chainId}|${config.rpcUrl}`;
    let client = this.clients.get(id);
    if (!client) {
      client = createPublicClient({
        chain: viemChain(config),
        // viem caches the block number for its polling interval; the reconciler needs it now.
        cacheTime: 0,
        // Short timeouts and few retries: a dead RPC must not hold a request for long.
        transport: http(config.rpcUrl, { timeout: 10_000, retryCount: 1 }),
      });
      this.clients.set(id, client);
    }
    return client;
  }

  wallet(config: ChainConfig, account: Account) {
    return createWalletClient({
      account,
      chain: viemChain(config),
      transport: http(config.rpcUrl, { timeout: 10_000, retryCount: 0 }),
    });
  }
}
