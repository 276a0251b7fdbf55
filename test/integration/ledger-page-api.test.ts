/**
 * What the window's Ledger page asks of the owner API: filtered pages by cursor (no entry
 * lost or repeated while new ones arrive), the export of exactly the filtered view, and a
 * chain verification that reports its progress and then its result, tampering included.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../electron/core/clock';
import { progressLine } from '../../electron/cli/ledger-command';
import type { OwnerAnswer } from '../../shared/contract/owner';
import type { LedgerVerifyStatusView, LedgerVerifyView } from '../../shared/ledger';
import type { LedgerEntryView } from '../../shared/schemas/owner-api';
import { spendBody, startTestServer, T0, type TestServer } from '../helpers/server';
import { walletInternals } from '../../electron/core/wallet-internals';

/** Every entry matching `query`, newest first, read a page of `limit` at a time. */
async function readAll(t: TestServer, query: Record<string, string>, limit = 7) {
  const seqs: LedgerEntryView[] = [];
  let before: number | null | undefined;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const params = new URLSearchParams({ ...query, limit: String(limit) });
    if (before) params.set('before_seq', String(before));
    const { status, body } = await t.owner<OwnerAnswer<'ledgerPage'>>(
      'GET',
      `/admin/v1/ledger?${params}`,
    );
    expect(status).toBe(200);
    seqs.push(...body.entries);
    if (body.next_before_seq === null) return seqs;
    before = body.next_before_seq;
  }
  throw new Error('paging did not end');
}

/** Two agents spending at several merchants, receipts on several rails, over a few hours. */
async function busyWallet(t: TestServer) {
  const alpha = await t.newAgent({
    name: 'alpha',
    budget_cents: 500_000,
    approval_threshold_cents: 20_000,
  });
  const beta = await t.newAgent({ name: 'beta', budget_cents: 500_000 });
  const merchants = ['AWS', 'aws', 'OpenAI', 'Anthropic'];
  for (let i = 0; i < 24; i += 1) {
    t.clock.advance(10 * MINUTE_MS);
    const who = i % 3 === 0 ? beta : alpha;
    const cents = i % 4 === 0 ? 25_000 : 1_000 + i;
    await t.agent(who.key, 'POST', '/v1/spend', spendBody(cents, merchants[i % 4]));
    if (i % 5 === 0) {
      const rail = (['x402', 'card', 'onchain'] as const)[i % 3];
      await t.agent(who.key, 'POST', '/v1/receipts', {
        amount_cents: 500 + i,
        merchant_name: merchants[(i + 1) % 4],
        rail,
      });
    }
  }
  return { alpha, beta };
}

/** What a filter should select, worked out from the whole ledger here. */
function matches(e: LedgerEntryView, q: Record<string, string>): boolean {
  const ts = Date.parse(e.ts);
  return (
    (q.agent_id === undefined || e.agent_id === q.agent_id) &&
    (q.type === undefined || e.type === q.type) &&
    (q.status === undefined || e.status === q.status) &&
    (q.merchant === undefined || e.merchant?.toLowerCase() === q.merchant.toLowerCase()) &&
    (q.rail === undefined || e.rail === q.rail) &&
    (q.from === undefined || ts >= Date.parse(q.from)) &&
    (q.to === undefined || ts < Date.parse(q.to))
  );
}

async function exported(t: TestServer, query: Record<string, string>, format: 'csv' | 'json') {
  const response = await fetch(
    `${t.url}/admin/v1/ledger/export?${new URLSearchParams({ ...query, format })}`,
    { headers: { authorization: `Bearer ${t.server.ownerToken}` } },
  );
  expect(response.status).toBe(200);
  return { response, text: await response.text() };
}

/** Polls the verification until it is finished, keeping every status seen. */
async function pollVerify(t: TestServer, run: number) {
  const seen: LedgerVerifyStatusView[] = [];
  for (let guard = 0; guard < 100_000; guard += 1) {
    const { body } = await t.owner<LedgerVerifyStatusView>('GET', '/admin/v1/ledger/verify');
    seen.push(body);
    if (!body.running && body.run >= run) return seen;
  }
  throw new Error('the verification did not finish');
}

/** A second connection to the file, as someone with write access to it has. */
function tamper(t: TestServer, sql: string): void {
  const db = new Database(join(t.home, 'purser.db'));
  db.exec('DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete;');
  db.exec(sql);
  db.close();
}

async function verifyNow(t: TestServer): Promise<LedgerVerifyView> {
  const started = await t.owner<LedgerVerifyStatusView>(
    'POST',
    '/admin/v1/ledger/verify?wait=false',
  );
  expect(started.status).toBe(202);
  const last = (await pollVerify(t, started.body.run)).at(-1);
  if (!last?.result) throw new Error(`no result: ${JSON.stringify(last)}`);
  return last.result;
}

describe('the ledger page API', () => {
  it('filters by agent, kind, status, merchant (any case), rail and time range, alone and together', async () => {
    const t = await startTestServer();
    const { alpha, beta } = await busyWallet(t);
    const all = await readAll(t, {}, 1000);
    expect(all.length).toBeGreaterThan(35);
    const iso = (ms: number) => new Date(ms).toISOString();
    const queries: Array<Record<string, string>> = [
      { agent_id: alpha.agent.id },
      { agent_id: beta.agent.id },
      { type: 'spend.approved' },
      { type: 'spend.needs_approval' },
      { status: 'needs_approval' },
      { merchant: 'aws' },
      { merchant: 'OPENAI' },
      { rail: 'card' },
      { rail: 'x402' },
      { from: iso(T0 + HOUR_MS), to: iso(T0 + 3 * HOUR_MS) },
      { to: iso(T0 + 2 * HOUR_MS) },
      { agent_id: alpha.agent.id, type: 'spend.approved', merchant: 'AWS' },
      { agent_id: beta.agent.id, rail: 'x402', from: iso(T0) },
      { type: 'wallet.frozen' },
    ];
    for (const q of queries) {
      const expected = all.filter((e) => matches(e, q)).map((e) => e.seq);
      const got = (await readAll(t, q)).map((e) => e.seq);
      expect(got, JSON.stringify(q)).toEqual(expected);
      if (q.type !== 'wallet.frozen') expect(got.length, JSON.stringify(q)).toBeGreaterThan(0);
    }
    // Offsets in the time filters are honoured (10:00+02:00 is 08:00 UTC).
    const shifted = await readAll(t, { to: '2026-03-14T13:00:00+02:00' });
    expect(shifted.map((e) => e.seq)).toEqual(
      all.filter((e) => Date.parse(e.ts) < Date.UTC(2026, 2, 14, 11)).map((e) => e.seq),
    );
    const refused = await t.owner('GET', '/admin/v1/ledger?from=yesterday');
    expect(refused.status).toBe(400);
  });

  it('pages by cursor with no entry lost or repeated while new entries arrive', async () => {
    const t = await startTestServer();
    const { alpha, beta } = await busyWallet(t);
    const queries: Array<Record<string, string>> = [
      {},
      { agent_id: alpha.agent.id },
      { merchant: 'aws' },
    ];
    for (const query of queries) {
      const seen: number[] = [];
      let before: number | null = null;
      let top: number | undefined;
      for (let page = 0; page < 1000; page += 1) {
        const params = new URLSearchParams({ ...query, limit: '5' });
        if (before !== null) params.set('before_seq', String(before));
        const { body } = await t.owner<OwnerAnswer<'ledgerPage'>>(
          'GET',
          `/admin/v1/ledger?${params}`,
        );
        top ??= body.entries[0]?.seq;
        seen.push(...body.entries.map((e) => e.seq));
        // New entries land between pages, for both agents and at the filtered merchant.
        await t.agent(alpha.key, 'POST', '/v1/spend', spendBody(100, 'AWS'));
        await t.agent(beta.key, 'POST', '/v1/spend', spendBody(100, 'aws'));
        if (body.next_before_seq === null) break;
        before = body.next_before_seq;
      }
      const now = await readAll(t, query, 1000);
      const expected = now.filter((e) => e.seq <= (top ?? 0)).map((e) => e.seq);
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(seen.length);
      // What arrived meanwhile is all newer than the first page: the view's "newer entries".
      expect(now.filter((e) => e.seq > (top ?? 0)).length).toBeGreaterThan(0);
    }
  });

  it('exports exactly the filtered view, as CSV and as JSON', async () => {
    const t = await startTestServer();
    const { alpha } = await busyWallet(t);
    const all = await readAll(t, {}, 1000);
    const cases: Array<Record<string, string>> = [
      { agent_id: alpha.agent.id, type: 'spend.approved' },
      { merchant: 'AWS' },
      { rail: 'card' },
      { status: 'needs_approval', from: new Date(T0 + HOUR_MS).toISOString() },
      {},
    ];
    for (const q of cases) {
      // Oldest first in an export, as the CLI's always was.
      const expected = all
        .filter((e) => matches(e, q))
        .map((e) => e.seq)
        .reverse();
      const json = await exported(t, q, 'json');
      expect(json.response.headers.get('content-disposition')).toBe(
        'attachment; filename="purser-ledger.json"',
      );
      const rows = JSON.parse(json.text) as Array<{ seq: number; type: string }>;
      expect(
        rows.map((r) => r.seq),
        JSON.stringify(q),
      ).toEqual(expected);
      const csv = await exported(t, q, 'csv');
      expect(csv.response.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = csv.text.trimEnd().split('\r\n');
      expect(lines[0]?.startsWith('seq,time,type,actor,mode,agent_id,')).toBe(true);
      expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(expected);
      if (q.type) for (const line of lines.slice(1)) expect(line.split(',')[2]).toBe(q.type);
    }
  });

  it('reports a verification in progress, then its result; a second start joins the first', async () => {
    const t = await startTestServer();
    const { wallet } = t.server;
    const before = await t.owner<LedgerVerifyStatusView>('GET', '/admin/v1/ledger/verify');
    expect(before.body).toMatchObject({ run: 0, running: false, result: null, checked: 0 });
    // 60,000 entries, through the Ledger in one write transaction: about a dozen pages.
    await walletInternals(wallet).committer.run(() => {
      for (let i = 0; i < 60_000; i += 1)
        walletInternals(wallet).ledger.append(
          { type: 'wallet.frozen', actor: 'owner', data: { i } },
          walletInternals(wallet).clock.now(),
        );
    });
    const total = walletInternals(wallet).ledger.count();
    const started = await t.owner<LedgerVerifyStatusView>(
      'POST',
      '/admin/v1/ledger/verify?wait=false',
    );
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ run: 1, running: true, total, finished_at: null });
    const joined = await t.owner<LedgerVerifyStatusView>(
      'POST',
      '/admin/v1/ledger/verify?wait=false',
    );
    expect(joined.body.run).toBe(1);
    const seen = await pollVerify(t, 1);
    const running = seen.filter((s) => s.running);
    expect(running.some((s) => s.checked > 0 && s.checked < total)).toBe(true);
    for (let i = 1; i < running.length; i += 1)
      expect(running[i]?.checked).toBeGreaterThanOrEqual(running[i - 1]?.checked ?? 0);
    const done = seen.at(-1);
    expect(done).toMatchObject({
      run: 1,
      running: false,
      checked: total,
      total,
      error: null,
      result: { ok: true, entries: total, head_seq: total, first_bad: null },
    });
    expect(Date.parse(done?.finished_at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(done?.started_at ?? ''),
    );
    // The waiting form answers with the result itself, as `purser ledger verify` reads it.
    const waited = await t.owner<LedgerVerifyView>('POST', '/admin/v1/ledger/verify');
    expect(waited.body).toEqual(done?.result);
    expect((await t.owner<LedgerVerifyStatusView>('GET', '/admin/v1/ledger/verify')).body.run).toBe(
      2,
    );
  });

  it('verifies agents’ hostile text the same way it was hashed', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ name: 'agent \u202e evil' });
    const texts = [
      'AWS\u0001\u001f\u007f\u0085',
      'Tab\there, new\nline, "quotes" and \\backslashes\\',
      '\u2028\u2029\ufeff zero\u200bwidth',
      'emoji 👩‍💻 🇫🇷, Persian می‌خواهم, 中文',
      '=HYPERLINK("http://evil.example")',
    ];
    for (const merchant of texts) {
      const spent = await t.agent(
        key,
        'POST',
        '/v1/spend',
        spendBody(100, merchant, { reason: merchant }),
      );
      expect(spent.status, merchant).toBe(200);
    }
    // What the API would refuse, written straight through the Ledger: every character
    // below U+0100 (NUL included) and the separators, in text columns and in data.
    let every = '';
    for (let c = 0; c < 0x100; c += 1) every += String.fromCharCode(c);
    every += '\u2028\u2029\ufeff\uffff\u{1f600}';
    const { wallet } = t.server;
    await walletInternals(wallet).committer.run(() =>
      walletInternals(wallet).ledger.append(
        {
          type: 'receipt.recorded',
          actor: 'system',
          merchant: every,
          status: every,
          // A release (negative counted) by the system: the most a ledger entry may say
          // (an amount is never negative, docs/money-integrity.md).
          amount: 12_345n,
          counted: -12_345n,
          data: { every, nested: { every }, n: -1.5e-7 },
        },
        walletInternals(wallet).clock.now(),
      ),
    );
    const result = await verifyNow(t);
    expect(result).toMatchObject({ ok: true, first_bad: null });
    const { ledger } = walletInternals(t.server.wallet);
    // …and it was the fast walk (SQLite's canonical form) that said so.
    const { verifier } = ledger as unknown as { verifier: { sqlCanonical(): boolean } };
    expect(verifier.sqlCanonical()).toBe(true);
    expect(ledger.verify({ reference: true })).toMatchObject({ ok: true, entries: result.entries });
  });

  const tamperings: Array<[string, string, { seq: number; problem: string }]> = [
    [
      'an edited amount',
      'UPDATE ledger SET amount_micros = 1 WHERE seq = 7',
      { seq: 7, problem: 'edited_entry' },
    ],
    [
      'an edited merchant',
      "UPDATE ledger SET merchant = 'aws' WHERE seq = 8",
      { seq: 8, problem: 'edited_entry' },
    ],
    [
      'edited data',
      `UPDATE ledger SET data = '{}' WHERE seq = 9`,
      { seq: 9, problem: 'edited_entry' },
    ],
    ['a removed entry', 'DELETE FROM ledger WHERE seq = 5', { seq: 5, problem: 'missing_entry' }],
    [
      'a broken link',
      'UPDATE ledger SET prev_hash = zeroblob(32) WHERE seq = 6',
      { seq: 6, problem: 'broken_link' },
    ],
    ['a cut-off tail', 'DELETE FROM ledger WHERE seq >= 10', { seq: 10, problem: 'truncated' }],
  ];

  it.each(tamperings)('reports %s, as the plain walk does', async (_name, sql, firstBad) => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 20_000 });
    for (const cents of [1_000, 25_000, 60_000, 2_000, 3_000])
      await t.agent(key, 'POST', '/v1/spend', spendBody(cents, 'AWS'));
    tamper(t, sql);
    const result = await verifyNow(t);
    expect(result).toMatchObject({ ok: false, first_bad: firstBad });
    const plain = walletInternals(t.server.wallet).ledger.verify({ reference: true });
    expect(result).toEqual({
      ok: plain.ok,
      entries: plain.entries,
      head_seq: plain.headSeq,
      head_hash: plain.headHash,
      first_bad: plain.firstBad ?? null,
    });
    const status = await t.owner<LedgerVerifyStatusView>('GET', '/admin/v1/ledger/verify');
    expect(status.body).toMatchObject({ running: false, result: { ok: false } });
  });

  it('draws the CLI progress bar', () => {
    expect(progressLine(0, 1_000_000)).toBe(
      `verifying [${'░'.repeat(30)}]   0%  0 of 1,000,000 entries`,
    );
    expect(progressLine(500_000, 1_000_000)).toBe(
      `verifying [${'█'.repeat(15)}${'░'.repeat(15)}]  50%  500,000 of 1,000,000 entries`,
    );
    expect(progressLine(7, 0)).toContain('0%');
  });
});
