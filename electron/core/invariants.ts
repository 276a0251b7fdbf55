/**
 * Assertions where money is written (docs/money-integrity.md, "Assertions"): each write of
 * the ledger, the meters, the usage rows and the funding balances states what must hold
 * before and after it. They throw inside the write job, so a broken invariant rolls the
 * transaction back instead of committing money that does not add up.
 */
export class MoneyInvariantError extends Error {
  override name = 'MoneyInvariantError';
}

export function assertMoney(condition: boolean, message: string): asserts condition {
  if (!condition) throw new MoneyInvariantError(`money invariant: ${message}`);
}
