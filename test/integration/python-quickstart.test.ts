/**
 * The README's Python quickstart, run exactly as written: the first ```python block under
 * `## Quickstart (Python)` in README.md, copied to a folder outside the checkout and run
 * with the system `python3` against a real Purser, with only PURSER_KEY and PURSER_URL set.
 * Skipped, saying so, only where python3 is not installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { walletInternals } from '../../electron/core/wallet-internals';
import type { ErrorEnvelope } from '../../shared/errors';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import type { OwnerAnswer } from '../../shared/contract/owner';
import { startTestServer } from '../helpers/server';

vi.setConfig({ testTimeout: 60_000 });

const HEADING = '## Quickstart (Python)';
const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The first ```python block of the README's `## Quickstart (Python)` section. */
function pythonQuickstart(text: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trimEnd() === HEADING);
  if (start < 0) return undefined;
  const next = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const section = lines.slice(start + 1, next < 0 ? undefined : next).join('\n');
  return /^```python\n([\s\S]*?)^```/m.exec(section)?.[1];
}

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
if (!python) console.warn('python3 is not installed: the Python quickstart is not run.');

// Outside the checkout: the snippet must need nothing from it.
const scratch = mkdtempSync(join(tmpdir(), 'purser-python-quickstart-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const agentFile = join(scratch, 'agent.py');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the snippet as the README says: `python3 agent.py`, PURSER_KEY and PURSER_URL set. */
function runAgent(key: string, url: string): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, PURSER_KEY: key, PURSER_URL: url };
  delete env.PURSER_HOME;
  return new Promise((resolve) => {
    execFile(
      'python3',
      [agentFile],
      { cwd: scratch, env, timeout: 50_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('README: Python quickstart', () => {
  const snippet = pythonQuickstart(readme);

  it('README.md has it: a ```python block under "## Quickstart (Python)", standard library only', () => {
    expect(
      snippet,
      `README.md needs a "${HEADING}" section (just before "## Connect your agents") with a \`\`\`python block`,
    ).toBeTruthy();
    const imports = [...(snippet ?? '').matchAll(/^(?:import|from) ([\w.]+)/gm)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['json', 'os', 'urllib.error', 'urllib.request', 'uuid']);
    expect(snippet).toContain('Idempotency-Key');
    expect(snippet).toContain('?wait=');
  });

  describe.skipIf(!python || !snippet)('run with python3', () => {
    writeFileSync(agentFile, snippet ?? '');

    it('approved: prints the decision and what is left; one spend, its key a UUID', async () => {
      const t = await startTestServer();
      const { agent, key } = await t.newAgent({ name: 'python-agent' });
      const ran = await runAgent(key, t.url);
      expect(ran.code, ran.stderr).toBe(0);
      expect(lines(ran.stdout)).toEqual([
        'approved Spend request approved',
        'remaining budget (cents): 98800',
      ]);

      const ledger = await t.call('ledgerPage', { query: { agent_id: agent.id } });
      const spends = ledger.body.entries.filter((e) => e.type.startsWith('spend.'));
      expect(spends).toEqual([
        expect.objectContaining({
          type: 'spend.approved',
          amount_micros: '12000000',
          merchant: 'AWS',
        }),
      ]);
      const id = spends[0]?.object_id ?? '';
      const balance = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
      expect(balance.body.remaining_budget_cents).toBe(98_800);

      // The spend went in under an Idempotency-Key, a fresh UUID; sent again with the same
      // key, as a retry would be, it is the same spend, not a second one.
      const claims = walletInternals(t.server.wallet)
        .db.prepare('SELECT key, object_id FROM idempotency WHERE agent_id = ?')
        .all(agent.id) as Array<{ key: string; object_id: string }>;
      expect(claims).toEqual([{ key: expect.stringMatching(/^[0-9a-f-]{36}$/), object_id: id }]);
      const sent = await t.call('getSpendRequest', { params: { id } });
      const retry = await t.agent<SpendRequestView>(
        key,
        'POST',
        '/v1/spend',
        {
          amount_cents: sent.body.amount_cents,
          currency: 'usd',
          merchant_name: sent.body.merchant_name,
          reason: sent.body.reason,
        },
        { 'idempotency-key': claims[0]?.key ?? '' },
      );
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.id).toBe(id);
      const after = await t.call('ledgerPage', { query: { agent_id: agent.id } });
      expect(after.body.entries.length).toBe(ledger.body.entries.length);
    });

    it('needs_approval: waits with ?wait= until the owner approves, then goes ahead', async () => {
      const t = await startTestServer();
      const { key } = await t.newAgent({ name: 'careful', approval_threshold_cents: 1_000 });
      const waiting = runAgent(key, t.url);
      let pending: OwnerAnswer<'listApprovals'>['spend_requests'] = [];
      for (let i = 0; i < 100 && pending.length === 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        pending = (await t.call('listApprovals')).body.spend_requests;
      }
      expect(pending).toHaveLength(1);
      const id = pending[0]?.id ?? '';
      // Still waiting, inside a held GET, before the owner answers.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await t.call('getSpendRequest', { params: { id } })).body.status).toBe(
        'needs_approval',
      );
      expect((await t.call('approveSpend', { params: { id }, body: {} })).status).toBe(200);

      const ran = await waiting;
      expect(ran.code, ran.stderr).toBe(0);
      const out = lines(ran.stdout);
      expect(out[0]).toMatch(/^needs_approval \S/);
      expect(out.slice(1)).toEqual([
        `Waiting for the owner: ${t.url}/app/#/approvals/${id}`,
        'approved Approved by the owner',
        'remaining budget (cents): 98800',
      ]);
      const decided = await t.call('getSpendRequest', { params: { id } });
      expect(decided.body).toMatchObject({ status: 'approved', decision_rule: 'owner_approved' });
      const ledger = await t.call('ledgerPage', { query: { type: 'spend.approved' } });
      expect(ledger.body.entries.map((e) => e.object_id)).toEqual([id]);
    });

    it('declined: says so and exits 1; nothing is spent', async () => {
      const t = await startTestServer();
      const { key } = await t.newAgent({ name: 'broke', budget_cents: 100 });
      const ran = await runAgent(key, t.url);
      expect(ran.code).toBe(1);
      const out = lines(ran.stdout);
      expect(out[0]).toMatch(/^declined \S/);
      expect(out.slice(1)).toEqual(['remaining budget (cents): 100']);
      const balance = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
      expect(balance.body.remaining_budget_cents).toBe(100);
    });

    it('an API error prints its status, code and message; no server says where it looked', async () => {
      const t = await startTestServer();
      const badKey = `psk_live_${'A'.repeat(40)}`;
      const expected = await t.agent<ErrorEnvelope>(badKey, 'GET', '/v1/balance');
      const ran = await runAgent(badKey, t.url);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toBe('');
      expect(ran.stderr.trim()).toBe(`401 invalid_api_key: ${expected.body.error.message}`);

      const { key } = await t.newAgent();
      const nobody = await runAgent(key, 'http://127.0.0.1:1');
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toMatch(/^Cannot reach Purser at http:\/\/127\.0\.0\.1:1: /);
    });
  });
});
