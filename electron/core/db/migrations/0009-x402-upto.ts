import type { Migration } from '../types';

/**
 * x402 `upto` (docs/chain.md, "x402 upto"): the agent signs a maximum and the facilitator
 * settles what was used. `settled_units` is what the chain showed moving, set when the
 * reconciler matches the settlement; `amount_units` stays the signed maximum.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'x402-upto',
  up: `
    ALTER TABLE x402_payments ADD COLUMN settled_units TEXT;
  `,
};
