import type { Migration } from '../types';

/**
 * On-chain enforcement (docs/chain.md): the chain config, accounts with sealed keys,
 * x402 payments (reserved before signing; settled or released later), allowances for
 * agents that hold their own keys, and the transfers reconciled from chain logs.
 * Amounts on chain are token units as decimal TEXT: they are uint256 and may not fit
 * SQLite's 64-bit integers.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'chain',
  up: `
    CREATE TABLE chains (
      id            TEXT PRIMARY KEY CHECK (id IN ('local', 'base-sepolia', 'base')),
      chain_id      INTEGER NOT NULL,
      rpc_url       TEXT NOT NULL,
      usdc_address  TEXT NOT NULL,
      usdc_decimals INTEGER NOT NULL,
      usdc_name     TEXT NOT NULL,
      usdc_version  TEXT NOT NULL,
      -- the last block whose logs are in the ledger; NULL: start from the block at setup
      synced_block  INTEGER,
      updated_at    INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE chain_accounts (
      id          TEXT PRIMARY KEY,
      role        TEXT NOT NULL CHECK (role IN ('owner', 'agent')),
      agent_id    TEXT UNIQUE REFERENCES agents (id),
      address     TEXT NOT NULL UNIQUE,
      -- NULL for a watch-only owner account; never the key in the clear
      sealed_key  BLOB,
      sealed_with TEXT CHECK (sealed_with IN ('passphrase', 'safe_storage')),
      created_at  INTEGER NOT NULL,
      CHECK ((role = 'agent') = (agent_id IS NOT NULL))
    ) STRICT;
    CREATE UNIQUE INDEX chain_accounts_one_owner ON chain_accounts (role) WHERE role = 'owner';

    CREATE TABLE x402_payments (
      id               TEXT PRIMARY KEY,
      agent_id         TEXT NOT NULL REFERENCES agents (id),
      spend_request_id TEXT NOT NULL UNIQUE,
      chain            TEXT NOT NULL,
      network          TEXT NOT NULL,
      asset            TEXT NOT NULL,
      pay_to           TEXT NOT NULL,
      payer            TEXT NOT NULL,
      amount_units     TEXT NOT NULL,
      amount_micros    INTEGER NOT NULL,
      resource_url     TEXT NOT NULL,
      x402_version     INTEGER NOT NULL,
      payment_required TEXT NOT NULL,
      requirement      TEXT NOT NULL,
      status           TEXT NOT NULL CHECK (status IN ('awaiting_approval', 'reserved', 'signed', 'settled', 'released', 'declined')),
      nonce            TEXT UNIQUE,
      valid_before     INTEGER,
      payment_header   TEXT,
      tx_hash          TEXT,
      created_at       INTEGER NOT NULL,
      updated_at       INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX x402_payments_open ON x402_payments (status) WHERE status IN ('awaiting_approval', 'reserved', 'signed');
    CREATE INDEX x402_payments_pay_to ON x402_payments (agent_id, pay_to);

    CREATE TABLE allowances (
      agent_id          TEXT PRIMARY KEY REFERENCES agents (id),
      chain             TEXT NOT NULL,
      spender           TEXT NOT NULL,
      amount_units      TEXT NOT NULL,
      status            TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
      reset_each_window INTEGER NOT NULL,
      window_start      INTEGER,
      tx_hash           TEXT,
      updated_at        INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE chain_transfers (
      chain        TEXT NOT NULL,
      tx_hash      TEXT NOT NULL,
      log_index    INTEGER NOT NULL,
      block        INTEGER NOT NULL,
      from_address TEXT NOT NULL,
      to_address   TEXT NOT NULL,
      sender       TEXT NOT NULL,
      value_units  TEXT NOT NULL,
      agent_id     TEXT,
      matched      TEXT,
      PRIMARY KEY (chain, tx_hash, log_index)
    ) STRICT;
  `,
};
