import type { Migration } from '../types';

/**
 * MPP payments (docs/mpp.md) live beside x402's: both are EIP-3009 authorizations Purser
 * signs from an agent's wallet for an HTTP 402, reserved before signing, settled by the
 * transfer that uses their nonce and released once that can no longer happen. One table, so
 * that one reconciler and one release follow both; `protocol` tells them apart (what the
 * agent reads back, the ledger's entry types and rail).
 */
export const migration0008: Migration = {
  version: 8,
  name: 'mpp',
  up: `
    ALTER TABLE x402_payments ADD COLUMN protocol TEXT NOT NULL DEFAULT 'x402'
      CHECK (protocol IN ('x402', 'mpp'));
  `,
};
