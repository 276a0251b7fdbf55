/** The ledger: every event is an entry; verify names the first edited, removed or reordered one. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerVerifyView } from '../../shared/ledger';
import { spendBody, startTestServer, type TestServer } from '../helpers/server';

/** What someone with write access to the file could do: the triggers do not stop them. */
function tamper(t: TestServer, sql: string): void {
  const db = new Database(join(t.home, 'purser.db'));
  db.exec('DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete;');
  db.exec(sql);
  db.close();
}

async function busyLedger(t: TestServer) {
  const { agent, key } = await t.newAgent({
    budget_cents: 50_000,
    approval_threshold_cents: 20_000,
  });
  await t.agent(key, 'POST', '/v1/spend', spendBody(1_000));
  await t.agent(key, 'POST', '/v1/spend', spendBody(25_000));
  await t.agent(key, 'POST', '/v1/spend', spendBody(60_000));
  await t.owner('PATCH', `/admin/v1/agents/${agent.id}/policy`, { budget_cents: 70_000 });
  return { agent, key };
}

describe('the ledger', () => {
  it('records decisions, key events, policy edits and funding changes, chained by hash', async () => {
    const t = await startTestServer();
    await busyLedger(t);
    const { body } = await t.call('ledgerPage', { query: { limit: 100 } });
    const types = body.entries.map((e) => e.type).reverse();
    expect(types).toEqual([
      'funding.created',
      'funding.created',
      'agent.created',
      'policy.updated',
      'funding.deposit',
      'key.issued',
      'spend.approved',
      'spend.needs_approval',
      'spend.declined',
      'policy.updated',
    ]);
    const entries = [...body.entries].reverse();
    for (let i = 1; i < entries.length; i += 1)
      expect(entries[i]?.prev_hash).toBe(entries[i - 1]?.hash);
    const approved = entries.find((e) => e.type === 'spend.approved');
    expect(approved).toMatchObject({ amount_micros: '10000000', counted_micros: '10000000' });
    expect(approved?.actor).toMatch(/^key:key_/);
    expect(entries.find((e) => e.type === 'spend.declined')?.counted_micros).toBe('0');
    expect((await t.owner<LedgerVerifyView>('POST', '/admin/v1/ledger/verify')).body).toMatchObject(
      {
        ok: true,
        entries: 10,
        first_bad: null,
      },
    );
  });

  it('refuses updates and deletes through SQL triggers', async () => {
    const t = await startTestServer();
    await busyLedger(t);
    const db = new Database(join(t.home, 'purser.db'));
    expect(() => db.exec('UPDATE ledger SET amount_micros = 1 WHERE seq = 7')).toThrow(
      /append-only/,
    );
    expect(() => db.exec('DELETE FROM ledger WHERE seq = 7')).toThrow(/append-only/);
    db.close();
  });

  it('names an edited entry', async () => {
    const t = await startTestServer();
    await busyLedger(t);
    tamper(t, 'UPDATE ledger SET amount_micros = 1 WHERE seq = 7');
    expect((await t.owner<LedgerVerifyView>('POST', '/admin/v1/ledger/verify')).body).toMatchObject(
      {
        ok: false,
        first_bad: { seq: 7, problem: 'edited_entry' },
      },
    );
  });

  it('names a removed entry', async () => {
    const t = await startTestServer();
    await busyLedger(t);
    tamper(t, 'DELETE FROM ledger WHERE seq = 5');
    expect((await t.owner<LedgerVerifyView>('POST', '/admin/v1/ledger/verify')).body).toMatchObject(
      {
        ok: false,
        first_bad: { seq: 5, problem: 'missing_entry' },
      },
    );
  });

  it('names reordered entries', async () => {
    const t = await startTestServer();
    await busyLedger(t);
    tamper(
      t,
      'UPDATE ledger SET seq = 1000 WHERE seq = 6; UPDATE ledger SET seq = 6 WHERE seq = 7; UPDATE ledger SET seq = 7 WHERE seq = 1000;',
    );
    expect((await t.owner<LedgerVerifyView>('POST', '/admin/v1/ledger/verify')).body).toMatchObject(
      {
        ok: false,
        first_bad: { seq: 6, problem: 'broken_link' },
      },
    );
  });

  it('notices entries cut off the end', async () => {
    const t = await startTestServer();
    await busyLedger(t);
    tamper(t, 'DELETE FROM ledger WHERE seq >= 9');
    expect((await t.owner<LedgerVerifyView>('POST', '/admin/v1/ledger/verify')).body).toMatchObject(
      {
        ok: false,
        first_bad: { seq: 9, problem: 'truncated' },
      },
    );
  });

  it('filters by agent, type and time, pages backwards, and exports CSV and JSON', async () => {
    const t = await startTestServer();
    const { agent } = await busyLedger(t);
    const byAgent = await t.call('ledgerPage', { query: { agent_id: agent.id, limit: 3 } });
    expect(byAgent.body.entries.map((e) => e.seq)).toEqual([10, 9, 8]);
    const next = await t.call('ledgerPage', {
      query: { agent_id: agent.id, limit: 3, before_seq: 8 },
    });
    // Entry 5 is the owner's deposit into the shared cash source: not this agent's.
    expect(next.body.entries.map((e) => e.seq)).toEqual([7, 6, 4]);
    const csv = await t.raw('/admin/v1/ledger/export?format=csv', {
      headers: { authorization: `Bearer ${t.server.ownerToken}` },
    });
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe(
      'seq,time,type,actor,mode,agent_id,object_id,amount_micros,counted_micros,status,merchant,rail,data,prev_hash,hash',
    );
    expect(lines).toHaveLength(11);
    const json = await t.raw('/admin/v1/ledger/export?format=json', {
      headers: { authorization: `Bearer ${t.server.ownerToken}` },
    });
    expect((json.body as unknown as unknown[]).length).toBe(10);
  });

  it('neutralises spreadsheet formulas in exported text', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    await t.agent(key, 'POST', '/v1/spend', spendBody(100, '=HYPERLINK("http://evil.example")'));
    const csv = await t.raw('/admin/v1/ledger/export?format=csv', {
      headers: { authorization: `Bearer ${t.server.ownerToken}` },
    });
    expect(String(csv.body)).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });
});
