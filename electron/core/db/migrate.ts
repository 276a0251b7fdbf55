import { MIGRATIONS } from './migrations';
import type { Db, Migration } from './types';

/**
 * Applies, in order and each in its own transaction, every migration above the database's
 * `user_version`. Forward only: a database written by a newer Purser is refused rather
 * than guessed at.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `This database is at schema version ${current}, newer than this Purser (${latest}). Upgrade Purser.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return latest;
}
