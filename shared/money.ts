/**
 * Money in Purser.
 *
 * Inside the wallet every amount is an integer number of micro-dollars (1 USD = 1,000,000
 * micros = one USDC base unit), held as a `bigint` so that no sum can ever lose a unit to
 * floating point. The agent API speaks integer cents (Dino-compatible) and, for sub-cent
 * x402 prices, integer micros; both are converted here and nowhere else.
 */
export type Micros = bigint;

export const MICROS_PER_CENT = 10_000n;
export const MICROS_PER_USD = 1_000_000n;

/** Any one amount (a request, a budget, a deposit) is at most one billion dollars. */
export const MAX_AMOUNT_MICROS: Micros = 1_000_000_000n * MICROS_PER_USD;
export const MAX_AMOUNT_CENTS = Number(MAX_AMOUNT_MICROS / MICROS_PER_CENT);
export const MAX_AMOUNT_MICROS_NUMBER = Number(MAX_AMOUNT_MICROS);

export const ZERO: Micros = 0n;

export function centsToMicros(cents: number): Micros {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be an integer: ${cents}`);
  return BigInt(cents) * MICROS_PER_CENT;
}

export function microsFromNumber(micros: number): Micros {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`micros must be an integer: ${micros}`);
  return BigInt(micros);
}

/** Whole cents, rounded down: what is left is never overstated. */
export function microsToCentsFloor(micros: Micros): number {
  const q = micros / MICROS_PER_CENT;
  const r = micros % MICROS_PER_CENT;
  return Number(r < 0n ? q - 1n : q);
}

/** Whole cents, rounded up: what was spent is never understated. */
export function microsToCentsCeil(micros: Micros): number {
  const q = micros / MICROS_PER_CENT;
  const r = micros % MICROS_PER_CENT;
  return Number(r > 0n ? q + 1n : q);
}

export function minMicros(a: Micros, b: Micros): Micros {
  return a < b ? a : b;
}

export function maxMicros(a: Micros, b: Micros): Micros {
  return a > b ? a : b;
}

/** `$1,234.56`, or with up to six decimals when the amount has sub-cent precision. */
export function formatUsd(micros: Micros): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const dollars = abs / MICROS_PER_USD;
  const frac = abs % MICROS_PER_USD;
  let fracText = frac.toString().padStart(6, '0');
  fracText = frac % MICROS_PER_CENT === 0n ? fracText.slice(0, 2) : fracText.replace(/0+$/, '');
  const grouped = dollars.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}.${fracText}`;
}

/** Whole cents as a person reads them: `$1,234.56`. The one formatter of cents (formatUsd). */
export function formatCents(cents: number): string {
  return formatUsd(centsToMicros(cents));
}

/** Micros as a JSON-safe decimal string (the owner API carries exact amounts this way). */
export function microsToString(micros: Micros): string {
  return micros.toString();
}

export function microsFromString(text: string): Micros {
  if (!/^-?\d{1,19}$/.test(text)) throw new RangeError(`not an integer amount: ${text}`);
  return BigInt(text);
}
