import type { Db } from '../../electron/core/db/types';

/**
 * The least a key needs to exist: a live funding source `fs` and an agent `agt` on it,
 * written straight into a bare database, for tests of the repositories alone.
 */
export function insertAgentRows(db: Db): void {
  db.exec(
    "INSERT INTO funding_sources (id, kind, mode, name, created_at) VALUES ('fs', 'cash', 'live', 'c', 1)",
  );
  db.exec(
    "INSERT INTO agents (id, name, mode, status, funding_source_id, policy_version, created_at, updated_at) VALUES ('agt', 'a', 'live', 'active', 'fs', 1, 1, 1)",
  );
}
