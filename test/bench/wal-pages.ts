/**
 * `npm run bench:pages`: which B-trees a group commit writes into the WAL. Batches of five
 * spends (what 16 connections give) are decided through the real write path after a
 * warm-up, on a WAL just truncated by a checkpoint; the frames they appended are read from
 * the WAL file, each page named by SQLite's dbstat table, and averaged per commit. The COMMIT is about a third
 * of a decision (`npm run bench:stages`), and its cost is these pages: every one is copied
 * and checksummed into the WAL and then fsynced (docs/performance.md, "Pages per commit").
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spendClaimOf, spendCommandOf } from '../../electron/api/commands';
import { Wallet } from '../../electron/core/wallet';
import { benchAgent } from './bench-agent';

const BATCH = Number(process.env.BENCH_BATCH ?? 5);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 50);
const home = mkdtempSync(join(tmpdir(), 'purser-pages-'));
const wallet = Wallet.open({ home });
try {
  const auth = await benchAgent(wallet, 'pages');
  const body = { amount_cents: 1, currency: 'usd' as const, merchant_name: 'AWS', reason: 'x' };
  const command = spendCommandOf(body);
  const batch = () =>
    Promise.all(
      Array.from({ length: BATCH }, () =>
        wallet.spend.create(auth, command, spendClaimOf(randomUUID(), body)),
      ),
    );
  for (let i = 0; i < 400; i += 1) await batch();

  const file = join(home, 'purser.db');
  const side = new Database(file);
  side.pragma('wal_checkpoint(TRUNCATE)');
  side.close();
  for (let i = 0; i < COMMITS; i += 1) await batch();

  const wal = readFileSync(`${file}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const pages: number[] = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    pages.push(wal.readUInt32BE(at));
  }
  const reader = new Database(file, { readonly: true });
  const owner = new Map<number, string>();
  const rows = reader.prepare('SELECT name, pageno FROM dbstat').all() as {
    name: string;
    pageno: number;
  }[];
  for (const row of rows) owner.set(row.pageno, row.name);
  reader.close();
  const counts = new Map<string, number>();
  for (const page of pages) {
    const name = owner.get(page) ?? `page ${page}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  process.stdout.write(
    `${COMMITS} group commits of ${BATCH} spends: ${(pages.length / COMMITS).toFixed(1)} pages of ${pageSize} B into the WAL per commit\n`,
  );
  for (const [name, count] of [...counts].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${(count / COMMITS).toFixed(2).padStart(6)}  ${name}\n`);
  }
} finally {
  await wallet.close();
  rmSync(home, { recursive: true, force: true });
}
