import type { Migration } from '../types';

/**
 * Budget alerts (docs/alerts.md): each warning level an agent's counted spend reached, once
 * per budget window. A row is written in the same write transaction as the usage that
 * reached the level, so an alert is raised once even across a crash, a release that brings
 * the spend back under the level, or a second crossing in the same window.
 *
 * `window_start`/`window_end` are the window the alert stands for: the budget's calendar
 * window, `[0, NULL)` for a `total` budget, and for a rolling budget the window's length
 * from the alert on. A level alerts again only once no row of it covers the moment.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'budget-alerts',
  up: `
    CREATE TABLE budget_alerts (
      id             INTEGER PRIMARY KEY,
      agent_id       TEXT NOT NULL REFERENCES agents (id),
      level          INTEGER NOT NULL CHECK (level >= 1),
      period         TEXT NOT NULL,
      window_kind    TEXT NOT NULL,
      window_start   INTEGER NOT NULL,
      window_end     INTEGER,
      at             INTEGER NOT NULL,
      budget_micros  INTEGER NOT NULL CHECK (budget_micros > 0),
      spent_micros   INTEGER NOT NULL CHECK (spent_micros >= 0),
      policy_version INTEGER NOT NULL,
      origin_id      TEXT,
      ledger_seq     INTEGER NOT NULL,
      UNIQUE (agent_id, period, window_kind, window_start, level)
    ) STRICT;
    -- The alerts in force now (the Overview): those whose window has not ended.
    CREATE INDEX budget_alerts_open ON budget_alerts (window_end);
  `,
};
