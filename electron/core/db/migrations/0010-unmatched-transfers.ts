import type { Migration } from '../types';

/**
 * The Overview counts the on-chain transfers that matched no approved request
 * (docs/overview.md). Those are rare; settled ones grow with every x402 payment. A partial
 * index of the unmatched ones only keeps that count from reading the settled ones.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'unmatched-transfers',
  up: `
    CREATE INDEX chain_transfers_unmatched ON chain_transfers (agent_id) WHERE matched IS NULL;
  `,
};
