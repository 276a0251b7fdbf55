import type { Migration } from '../types';

/**
 * Payouts (docs/payouts.md): the owner's address book of recipients, and the payout intents
 * agents create to pay them on chain from their Purser-held wallets.
 *
 * A payout is paid with an EIP-3009 `transferWithAuthorization` signed by the agent's wallet
 * and sent by the owner's account (which pays the gas). Everything that could pay twice is
 * written before it leaves: the authorization's nonce and signature, then the signed
 * transaction and its hash. A restart sends the stored transaction again (the same hash) or
 * reads its fate from the chain; the nonce can be used once only, whoever sends it.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'payouts',
  up: `
    CREATE TABLE recipients (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      address     TEXT NOT NULL,
      -- Chain names from the chain config; empty means every configured chain.
      networks    TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      archived_at INTEGER
    ) STRICT;
    CREATE UNIQUE INDEX recipients_address ON recipients (address) WHERE archived_at IS NULL;

    CREATE TABLE payout_intents (
      id               TEXT PRIMARY KEY,
      agent_id         TEXT NOT NULL REFERENCES agents (id),
      spend_request_id TEXT NOT NULL UNIQUE,
      recipient_id     TEXT,
      address          TEXT NOT NULL,
      chain            TEXT NOT NULL,
      network          TEXT NOT NULL,
      asset            TEXT NOT NULL,
      payer            TEXT NOT NULL,
      amount_units     TEXT NOT NULL,
      amount_micros    INTEGER NOT NULL CHECK (amount_micros > 0),
      reason           TEXT NOT NULL,
      metadata         TEXT,
      status           TEXT NOT NULL CHECK (status IN ('needs_approval', 'approved',
        'awaiting_signature', 'submitted', 'completed', 'failed', 'declined', 'cancelled', 'expired')),
      pending_reason   TEXT,
      failure_reason   TEXT,
      nonce            TEXT,
      valid_before     INTEGER,
      signature        TEXT,
      submitter        TEXT,
      raw_tx           TEXT,
      tx_hash          TEXT,
      created_at       INTEGER NOT NULL,
      updated_at       INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX payout_intents_agent ON payout_intents (agent_id, created_at);
    CREATE UNIQUE INDEX payout_intents_nonce ON payout_intents (nonce) WHERE nonce IS NOT NULL;
    CREATE INDEX payout_intents_open ON payout_intents (created_at)
      WHERE status IN ('needs_approval', 'approved', 'awaiting_signature', 'submitted');
  `,
};
