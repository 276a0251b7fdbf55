import type Database from 'better-sqlite3';

/**
 * The types the database folder shares, in a module that imports nothing of the folder, so
 * that database.ts, migrate.ts, the migrations and the committers form no import cycle.
 */
export type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  /** SQL, or a function for migrations that move data. Runs inside the migration's transaction. */
  up: string | ((db: Db) => void);
}
