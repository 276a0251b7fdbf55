import type { Migration } from '../types';

/**
 * Human approvals, budget requests (the Conto flow) and receipts (payments made
 * elsewhere). Spend requests gain the owner's comment; everything else is new tables.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'approvals-budgets-receipts',
  up: `
    ALTER TABLE spend_requests ADD COLUMN owner_comment TEXT;

    CREATE TABLE budget_requests (
      id               TEXT PRIMARY KEY,
      agent_id         TEXT NOT NULL REFERENCES agents (id),
      key_id           TEXT NOT NULL,
      status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'exhausted')),
      requested_micros INTEGER NOT NULL,
      approved_micros  INTEGER,
      spent_micros     INTEGER NOT NULL DEFAULT 0,
      purpose          TEXT NOT NULL,
      category         TEXT,
      metadata         TEXT,
      owner_comment    TEXT,
      created_at       INTEGER NOT NULL,
      decided_at       INTEGER,
      -- pending: when the request lapses unanswered; approved: when its window closes
      expires_at       INTEGER NOT NULL,
      ended_at         INTEGER
    ) STRICT;
    CREATE INDEX budget_requests_agent ON budget_requests (agent_id, created_at);
    -- One active (pending or approved) budget request per agent, held by the database too.
    CREATE UNIQUE INDEX budget_requests_one_active ON budget_requests (agent_id)
      WHERE status IN ('pending', 'approved');
    CREATE INDEX budget_requests_due ON budget_requests (expires_at)
      WHERE status IN ('pending', 'approved');

    CREATE TABLE receipts (
      id                TEXT PRIMARY KEY,
      agent_id          TEXT NOT NULL REFERENCES agents (id),
      key_id            TEXT NOT NULL,
      amount_micros     INTEGER NOT NULL,
      merchant          TEXT NOT NULL,
      host              TEXT,
      rail              TEXT NOT NULL CHECK (rail IN ('x402', 'mpp', 'card', 'onchain', 'other')),
      spend_request_id  TEXT,
      budget_request_id TEXT,
      tx_hash           TEXT,
      network           TEXT,
      occurred_at       INTEGER,
      -- what this receipt added to the counters (negative: released from a settled request)
      counted_micros    INTEGER NOT NULL,
      usage_id          INTEGER,
      over_budget       INTEGER NOT NULL,
      flags             TEXT NOT NULL,
      metadata          TEXT,
      created_at        INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX receipts_agent ON receipts (agent_id, created_at);
    -- A spend request is settled by one receipt at most.
    CREATE UNIQUE INDEX receipts_settle_once ON receipts (spend_request_id) WHERE spend_request_id IS NOT NULL;
  `,
};
