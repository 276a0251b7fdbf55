/**
 * The last entry of the chain has no successor whose `prev_hash` would expose an edit, so
 * the only witness of its hash is `ledger_head`. A forger who rewrites the last entry and
 * recomputes its hash (a valid-looking link) must still be caught by verify, because the
 * head names the old hash. Runs on a real wallet's SQLite file, as `purser ledger verify`
 * would see it after someone edited the file by hand.
 */
import type { RawLedgerRow } from '../../../electron/core/ledger/ledger-rows';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/core/clock';
import { openDatabase } from '../../../electron/core/db/database';
import type { Db } from '../../../electron/core/db/types';
import { entryHash } from '../../../electron/core/ledger/canonical';
import { Ledger } from '../../../electron/core/ledger/ledger';
import { Wallet } from '../../../electron/core/wallet';
import { walletInternals } from '../../../electron/core/wallet-internals';
import { centsToMicros } from '../../../shared/money';
import { cleanupTmpDirs, tmpHome } from '../../helpers/tmp';
import { agentCommand, spendCommand } from '../../helpers/commands';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  cleanupTmpDirs();
});

/** A wallet with a few real entries (deposit, agent, key, spends), closed, its folder returned. */
async function walletFolder(): Promise<string> {
  const home = tmpHome('verify-head');
  const clock = new ManualClock(Date.UTC(2026, 3, 2, 9));
  const wallet = Wallet.open({ home, clock });
  await wallet.funding.deposit({ mode: 'live' }, centsToMicros(10_000));
  const { agent } = await wallet.agents.create(
    agentCommand({ name: 'a', mode: 'live', budget_cents: 5_000 }),
  );
  const { plaintext } = await wallet.keys.issue(agent.id, {});
  const auth = walletInternals(wallet).keys.authenticate(plaintext, clock.now());
  for (const cents of [125, 250, 375]) {
    const r = await wallet.spend.create(
      auth,
      spendCommand({
        amount_cents: cents,
        currency: 'usd',
        merchant_name: 'AWS',
        reason: 'verify-head',
      }),
      undefined,
    );
    expect(r.kind === 'created' && r.record.status).toBe('approved');
    clock.advance(60_000);
  }
  await wallet.close();
  return home;
}

type Row = RawLedgerRow;

/**
 * Rewrites the last entry to count 1 micro-dollar instead of what it counted, with its
 * hash recomputed from its (untouched) prev_hash: every link of the chain still holds.
 * Returns the new hash.
 */
function forgeLastEntry(db: Db): { seq: number; hash: Buffer } {
  const row = db
    .prepare('SELECT * FROM ledger ORDER BY seq DESC LIMIT 1')
    .safeIntegers(true)
    .get() as Row;
  const hash = entryHash(row.prev_hash, {
    seq: Number(row.seq),
    ts: Number(row.ts),
    type: row.type,
    actor: row.actor,
    mode: row.mode,
    agentId: row.agent_id,
    objectId: row.object_id,
    amount: 1n,
    counted: 1n,
    status: row.status,
    merchant: row.merchant,
    rail: row.rail,
    data: row.data,
  });
  db.exec('DROP TRIGGER IF EXISTS ledger_no_update');
  const changed = db
    .prepare('UPDATE ledger SET amount_micros = 1, counted_micros = 1, hash = ? WHERE seq = ?')
    .run(hash, row.seq);
  expect(changed.changes).toBe(1);
  return { seq: Number(row.seq), hash };
}

describe('ledger verify and the head', () => {
  it('fails when the last entry is rewritten with a recomputed hash: the head still names the old one', async () => {
    const home = await walletFolder();
    const db = openDatabase(home);
    open.push(db);
    const ledger = new Ledger(db);
    const before = ledger.verify();
    expect(before).toMatchObject({ ok: true });
    // The last entry is a spend that counted money: the forgery makes it count 1 micro.
    const last = db
      .prepare('SELECT type, counted_micros FROM ledger ORDER BY seq DESC LIMIT 1')
      .get() as { type: string; counted_micros: bigint };
    expect(last).toMatchObject({ type: 'spend.approved', counted_micros: 3_750_000n });

    const forged = forgeLastEntry(db);
    // Every link is intact: the forged row's hash is exactly what its fields give.
    expect(forged.seq).toBe(before.entries);

    for (const result of [
      ledger.verify(),
      ledger.verify({ reference: true }),
      await ledger.verifyInBackground(),
    ]) {
      expect(result.ok).toBe(false);
      expect(result.firstBad).toBeDefined();
      expect(result.headHash).not.toBe(before.headHash);
    }
  });

  it('the same forgery is caught when the wallet reopens the file', async () => {
    const home = await walletFolder();
    const db = openDatabase(home);
    forgeLastEntry(db);
    db.close();
    const wallet = Wallet.open({ home, clock: new ManualClock(Date.UTC(2026, 3, 3, 9)) });
    open.push(wallet);
    const result = await wallet.ledger.verify();
    expect(result.ok).toBe(false);
  });

  it('the head is the only witness: with the head rewritten too, the forgery verifies (what an outside copy of the head is for)', async () => {
    // Not a wish but the documented limit of a hash chain kept in the same file: this
    // shows that the failures above come from the head comparison and nothing else.
    const home = await walletFolder();
    const db = openDatabase(home);
    open.push(db);
    const forged = forgeLastEntry(db);
    db.prepare('UPDATE ledger_head SET hash = ? WHERE id = 1').run(forged.hash);
    expect(new Ledger(db).verify()).toMatchObject({
      ok: true,
      headHash: forged.hash.toString('hex'),
    });
  });
});
