import type { ChainName } from '../../../shared/domain';

export type Address = `0x${string}`;

/** One chain Purser talks to, with the USDC it pays in. Nothing here is guessed at run time. */
export interface ChainConfig {
  id: ChainName;
  chainId: number;
  rpcUrl: string;
  usdc: { address: Address; decimals: number; name: string; version: string };
  syncedBlock: number | null;
}

/** CAIP-2 network id, as x402 v2 names networks. */
export const networkOf = (chain: Pick<ChainConfig, 'chainId'>): `eip155:${number}` =>
  `eip155:${chain.chainId}`;

/**
 * Published USDC deployments (Circle's FiatToken; the EIP-712 domain is what its
 * DOMAIN_SEPARATOR was built from). The local chain has none: its token is whatever the
 * owner deployed, so every field must be given.
 */
export const CHAIN_PRESETS: Record<
  Exclude<ChainName, 'local'>,
  Omit<ChainConfig, 'id' | 'rpcUrl' | 'syncedBlock'>
> = {
  base: {
    chainId: 8453,
    usdc: {
      address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
      decimals: 6,
      name: 'USD Coin',
      version: '2',
    },
  },
  'base-sepolia': {
    chainId: 84532,
    usdc: {
      address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
      decimals: 6,
      name: 'USDC',
      version: '2',
    },
  },
};
