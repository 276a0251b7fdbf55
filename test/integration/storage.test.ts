/** The data folder and the database: private, durable settings, secrets never at rest. */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer } from '../helpers/server';
import { walletInternals } from '../../electron/core/wallet-internals';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data folder', () => {
  it('is 0700 and every file in it 0600', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    await t.agent(key, 'POST', '/v1/spend', spendBody(100));
    expect(mode(t.home)).toBe(0o700);
    const files = readdirSync(t.home);
    expect(files).toEqual(
      expect.arrayContaining(['purser.db', 'purser.db-wal', 'server.json', 'owner-token']),
    );
    for (const file of files) expect(mode(join(t.home, file)), file).toBe(0o600);
  });

  it('server.json says where the server listens, and goes away on close', async () => {
    const t = await startTestServer();
    const info = JSON.parse(readFileSync(join(t.home, 'server.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(info).toEqual({
      url: t.url,
      port: t.server.info.port,
      pid: process.pid,
      mode: 'headless',
    });
    await t.server.close();
    expect(existsSync(join(t.home, 'server.json'))).toBe(false);
  });

  it('refuses a second server on the same data folder', async () => {
    const t = await startTestServer();
    // Same process, so it is the pid check against a live process we need: fake another pid.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(t.home, 'server.json'),
      JSON.stringify({ ...t.server.info, pid: process.ppid }),
    );
    await expect(startTestServer({ home: t.home })).rejects.toThrow(/already running/);
  });

  it('the database runs in WAL mode, its commits fsynced by Purser (durability.test.ts), and its tables are STRICT', async () => {
    const t = await startTestServer();
    const db = walletInternals(t.server.wallet).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // NORMAL: SQLite syncs for consistency (checkpoints, WAL header); WalFsync syncs every
    // commit before its answer.
    expect(Number(db.pragma('synchronous', { simple: true }))).toBe(1);
    const tables = db
      .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'")
      .all() as Array<{ name: string; sql: string }>;
    expect(tables.length).toBeGreaterThan(5);
    for (const table of tables) expect(table.sql, table.name).toMatch(/STRICT/);
  });

  it('keeps spending keys only as hashes: no issued key is in the database file or its WAL', async () => {
    const t = await startTestServer();
    const a = await t.newAgent();
    const b = await t.newAgent({ mode: 'test' });
    await t.agent(a.key, 'POST', '/v1/spend', spendBody(100));
    const files = ['purser.db', 'purser.db-wal'].map((f) => join(t.home, f)).filter(existsSync);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const key of [a.key, b.key]) {
        expect(bytes.includes(Buffer.from(key))).toBe(false);
        expect(bytes.includes(Buffer.from(key.slice(13, 40)))).toBe(false);
      }
      expect(bytes.includes(Buffer.from(t.server.ownerToken))).toBe(false);
    }
  });

  it('a decision answered is on disk: a second connection sees it at once', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const r = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100));
    const other = new Database(join(t.home, 'purser.db'), { readonly: true });
    expect(other.prepare('SELECT status FROM spend_requests WHERE id = ?').get(r.body.id)).toEqual({
      status: 'approved',
    });
    other.close();
  });
});
