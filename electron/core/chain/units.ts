import type { Micros } from '../../../shared/money';

/**
 * Token units to micro-dollars with the asset's decimals from the chain config, rounded
 * up: a token with more decimals than USDC's six can never look cheaper than it is.
 */
export function unitsToMicros(units: bigint, decimals: number): Micros {
  if (decimals <= 6) return units * 10n ** BigInt(6 - decimals);
  const div = 10n ** BigInt(decimals - 6);
  return (units + div - 1n) / div;
}

/** Micro-dollars to token units, rounded down: an allowance never grants more than the policy. */
export function microsToUnits(micros: Micros, decimals: number): bigint {
  if (decimals >= 6) return micros * 10n ** BigInt(decimals - 6);
  return micros / 10n ** BigInt(6 - decimals);
}
