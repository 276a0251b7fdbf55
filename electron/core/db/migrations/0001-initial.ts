import type { Migration } from '../types';

/**
 * The foundation schema. Amounts are INTEGER micro-dollars; times are INTEGER milliseconds
 * since the epoch; JSON columns hold TEXT. Every table is STRICT so a wrong type is an
 * error, not a silent conversion.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE funding_sources (
      id             TEXT PRIMARY KEY,
      kind           TEXT NOT NULL CHECK (kind IN ('cash', 'onchain')),
      mode           TEXT NOT NULL CHECK (mode IN ('live', 'test')),
      name           TEXT NOT NULL,
      balance_micros INTEGER NOT NULL DEFAULT 0,
      limit_micros   INTEGER,
      limit_period   TEXT CHECK (limit_period IN ('daily', 'weekly', 'monthly', 'total')),
      limit_window   TEXT NOT NULL DEFAULT 'calendar' CHECK (limit_window IN ('calendar', 'rolling')),
      is_default     INTEGER NOT NULL DEFAULT 0,
      address        TEXT,
      chain_id       INTEGER,
      created_at     INTEGER NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX funding_default_per_mode ON funding_sources (mode) WHERE is_default = 1;

    CREATE TABLE agents (
      id                TEXT PRIMARY KEY,
      name              TEXT NOT NULL,
      mode              TEXT NOT NULL CHECK (mode IN ('live', 'test')),
      status            TEXT NOT NULL CHECK (status IN ('active', 'paused', 'revoked')),
      funding_source_id TEXT NOT NULL REFERENCES funding_sources (id),
      policy_version    INTEGER NOT NULL,
      created_at        INTEGER NOT NULL,
      updated_at        INTEGER NOT NULL
    ) STRICT;

    -- Policies are immutable: an edit inserts the next version.
    CREATE TABLE policies (
      agent_id   TEXT NOT NULL REFERENCES agents (id),
      version    INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      body       TEXT NOT NULL,
      PRIMARY KEY (agent_id, version)
    ) STRICT, WITHOUT ROWID;

    -- Spending keys are stored only as SHA-256 hashes; prefix and last4 are for display.
    CREATE TABLE api_keys (
      id           TEXT PRIMARY KEY,
      agent_id     TEXT NOT NULL REFERENCES agents (id),
      mode         TEXT NOT NULL CHECK (mode IN ('live', 'test')),
      hash         BLOB NOT NULL UNIQUE,
      prefix       TEXT NOT NULL,
      last4        TEXT NOT NULL,
      scopes       TEXT NOT NULL,
      label        TEXT,
      created_at   INTEGER NOT NULL,
      expires_at   INTEGER,
      revoked_at   INTEGER
    ) STRICT;
    CREATE INDEX api_keys_agent ON api_keys (agent_id);

    CREATE TABLE spend_requests (
      id                TEXT PRIMARY KEY,
      agent_id          TEXT NOT NULL REFERENCES agents (id),
      key_id            TEXT NOT NULL,
      status            TEXT NOT NULL CHECK (status IN ('approved', 'declined', 'needs_approval', 'expired', 'cancelled')),
      decision_reason   TEXT NOT NULL,
      decision_rule     TEXT NOT NULL,
      amount_micros     INTEGER NOT NULL,
      merchant_name     TEXT NOT NULL,
      reason            TEXT NOT NULL,
      category          TEXT,
      metadata          TEXT,
      policy_version    INTEGER NOT NULL,
      budget_request_id TEXT,
      usage_id          INTEGER,
      created_at        INTEGER NOT NULL,
      decided_at        INTEGER,
      expires_at        INTEGER
    ) STRICT;
    CREATE INDEX spend_requests_agent ON spend_requests (agent_id, created_at);
    CREATE INDEX spend_requests_pending ON spend_requests (expires_at) WHERE status = 'needs_approval';

    -- Idempotency keys are scoped to the agent and kept at least 24 hours.
    CREATE TABLE idempotency_keys (
      agent_id   TEXT NOT NULL,
      key        TEXT NOT NULL,
      route      TEXT NOT NULL,
      body_hash  BLOB NOT NULL,
      object_id  TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (agent_id, key)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX idempotency_age ON idempotency_keys (created_at);

    -- Money that counts against limits: approved spends (and, later, receipts). One row
    -- per counted item; a settlement adjusts its row. Meters below keep the window sums.
    CREATE TABLE usage (
      id                INTEGER PRIMARY KEY,
      ts                INTEGER NOT NULL,
      agent_id          TEXT NOT NULL,
      funding_source_id TEXT NOT NULL,
      mode              TEXT NOT NULL,
      micros            INTEGER NOT NULL,
      origin_id         TEXT NOT NULL
    ) STRICT;
    CREATE INDEX usage_agent ON usage (agent_id, ts);
    CREATE INDEX usage_funding ON usage (funding_source_id, ts);
    CREATE INDEX usage_mode ON usage (mode, ts);

    -- Running sums per (scope, window spec), so a decision never rescans history.
    -- Calendar meters hold [window_start, window_end); rolling ones hold (as_of - width, as_of].
    CREATE TABLE meters (
      scope        TEXT NOT NULL,
      spec         TEXT NOT NULL,
      window_start INTEGER NOT NULL,
      window_end   INTEGER,
      width        INTEGER,
      as_of        INTEGER NOT NULL,
      sum_micros   INTEGER NOT NULL,
      count        INTEGER NOT NULL,
      PRIMARY KEY (scope, spec)
    ) STRICT, WITHOUT ROWID;

    -- Merchants an agent has already paid, for ask-on-new-merchant.
    CREATE TABLE agent_merchants (
      agent_id TEXT NOT NULL,
      merchant TEXT NOT NULL,
      first_at INTEGER NOT NULL,
      PRIMARY KEY (agent_id, merchant)
    ) STRICT, WITHOUT ROWID;

    -- The append-only, hash-chained record of everything that happened.
    CREATE TABLE ledger (
      seq            INTEGER PRIMARY KEY,
      ts             INTEGER NOT NULL,
      type           TEXT NOT NULL,
      actor          TEXT NOT NULL,
      mode           TEXT,
      agent_id       TEXT,
      object_id      TEXT,
      amount_micros  INTEGER,
      counted_micros INTEGER NOT NULL DEFAULT 0,
      status         TEXT,
      merchant       TEXT,
      rail           TEXT,
      data           TEXT NOT NULL,
      prev_hash      BLOB NOT NULL,
      hash           BLOB NOT NULL
    ) STRICT;
    CREATE INDEX ledger_agent ON ledger (agent_id, seq);
    CREATE INDEX ledger_object ON ledger (object_id);

    CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
      BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
      BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

    -- The chain's head, so that cutting entries off the end is detected too.
    CREATE TABLE ledger_head (
      id   INTEGER PRIMARY KEY CHECK (id = 1),
      seq  INTEGER NOT NULL,
      hash BLOB NOT NULL
    ) STRICT;
  `,
};
