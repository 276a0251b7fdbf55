import type { Address } from './chain-config';
import { usdcAbi } from './rpc';
import type { ChainParts } from './chain-parts';
import { unitsToMicros } from './units';

/** An address's USDC on every configured chain, read from the chain; null where unreachable. */
export function usdcBalancesOf(parts: Pick<ChainParts, 'chains' | 'rpc'>, address: Address) {
  return Promise.all(
    parts.chains.list().map(async (chain) => {
      try {
        const units = await parts.rpc.public(chain).readContract({
          address: chain.usdc.address,
          abi: usdcAbi,
          functionName: 'balanceOf',
          args: [address],
        });
        return { chain: chain.id, units, micros: unitsToMicros(units, chain.usdc.decimals) };
      } catch {
        return { chain: chain.id, units: null, micros: null };
      }
    }),
  );
}
