import type { Migration } from '../types';

/**
 * Money integrity (docs/decision-order.md, "Receipts and settlement"; docs/money-integrity.md).
 *
 * - `usage.shared_micros`: what a usage row counts against the limits several agents share
 *   (the funding source's balance and limit, the global cap). It equals `micros` for every
 *   decision; for a receipt it is at most what the reporting agent could have spent on its
 *   own, the rest waiting for the owner. The table is rebuilt so that the database itself
 *   refuses a negative usage or a shared part larger than the whole.
 * - `receipts.settles`: whether a receipt settled the request it names. A receipt may name a
 *   request it does not settle (a pending one, say); only settling receipts are unique per
 *   request.
 * - `receipts.review*`: a claim in a receipt that waits for the owner: money it would take
 *   from a shared limit beyond the agent's own headroom, or a settlement for less than the
 *   request, which the owner may accept (releasing the difference) or leave.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'money-integrity',
  up: `
    CREATE TABLE usage_new (
      id                INTEGER PRIMARY KEY,
      ts                INTEGER NOT NULL,
      agent_id          TEXT NOT NULL,
      funding_source_id TEXT NOT NULL,
      mode              TEXT NOT NULL,
      micros            INTEGER NOT NULL CHECK (micros >= 0),
      shared_micros     INTEGER NOT NULL CHECK (shared_micros >= 0 AND shared_micros <= micros),
      origin_id         TEXT NOT NULL
    ) STRICT;
    INSERT INTO usage_new (id, ts, agent_id, funding_source_id, mode, micros, shared_micros, origin_id)
      SELECT id, ts, agent_id, funding_source_id, mode, micros, micros, origin_id FROM usage;
    DROP TABLE usage;
    ALTER TABLE usage_new RENAME TO usage;
    CREATE INDEX usage_agent ON usage (agent_id, ts);
    CREATE INDEX usage_funding ON usage (funding_source_id, ts);
    CREATE INDEX usage_mode ON usage (mode, ts);

    ALTER TABLE receipts ADD COLUMN settles INTEGER NOT NULL DEFAULT 0 CHECK (settles IN (0, 1));
    -- Until now a receipt naming a request settled it unless it was flagged request_<status>.
    UPDATE receipts SET settles = 1
      WHERE spend_request_id IS NOT NULL AND flags NOT LIKE '%"request\\_%' ESCAPE '\\';
    DROP INDEX receipts_settle_once;
    CREATE UNIQUE INDEX receipts_settle_once ON receipts (spend_request_id) WHERE settles = 1;

    ALTER TABLE receipts ADD COLUMN review TEXT
      CHECK (review IN ('open', 'accepted', 'disputed'));
    ALTER TABLE receipts ADD COLUMN review_kind TEXT
      CHECK (review_kind IN ('shared_excess', 'settled_for_less'));
    ALTER TABLE receipts ADD COLUMN review_micros INTEGER NOT NULL DEFAULT 0
      CHECK (review_micros >= 0);
    ALTER TABLE receipts ADD COLUMN reviewed_at INTEGER;
    ALTER TABLE receipts ADD COLUMN review_comment TEXT;
    CREATE INDEX receipts_review_open ON receipts (created_at) WHERE review = 'open';

    -- The owner's queue is read per agent, oldest first, and counted per agent at decisions.
    CREATE INDEX spend_requests_pending_agent ON spend_requests (agent_id, created_at)
      WHERE status = 'needs_approval';
  `,
};
