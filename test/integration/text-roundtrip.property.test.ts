/**
 * Agent text is one string everywhere (docs/errors.md, "Text"): arbitrary Unicode — lone
 * surrogates, NUL, bidi controls, zero-width characters, escapes, astral characters —
 * through every text field of the agent routes and the owner's own text. Ill-formed text
 * and NUL are refused as invalid_request and write nothing; anything accepted is read back
 * exactly as it was answered, and the ledger's hash chain verifies after all of it.
 *
 * PURSER_PROPERTY_RUNS sets the number of runs of each property (default 40).
 */
import fc from 'fast-check';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { LedgerVerifyView } from '../../shared/ledger';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import type { ReceiptResultView } from '../../shared/schemas/receipts';
import type { AgentBudgetRequestView } from '../helpers/agent-api';
import { spendBody, startTestServer, type TestServer } from '../helpers/server';

const RUNS = Number(process.env.PURSER_PROPERTY_RUNS ?? 40);

/** One UTF-16 unit or code point, biased towards the characters that broke things. */
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\0',
      '\b',
      '\x1b',
      '\x7f',
      '\u0085',
      '\u00ad',
      '\u200b',
      '\u200d',
      '\u202e',
      '\u2066',
      '\u2028',
      '\ufeff',
      '\ufffd',
      '😀',
      'а',
      ' ',
      '\\',
    ),
  },
  { weight: 4, arbitrary: fc.constantFrom('a', 'w', 's', '.', '$', '4') },
);
const text = fc.string({ unit, minLength: 1, maxLength: 24 });
/** Text with nothing the API refuses, so most runs get through to the read-back checks. */
const clean = fc.string({
  unit: unit.filter((c) => !/\p{Cs}/u.test(c) && c !== '\0'),
  minLength: 1,
  maxLength: 24,
});
/** One bad character put into one of five fields, in about a third of the runs. */
const poison = fc.option(
  fc.tuple(fc.nat(4), fc.constantFrom('\0', '\ud800', '\udfff', '\udc00\ud800')),
  { freq: 2 },
);
const spoil = (values: Array<string | undefined>, p: [number, string] | null) =>
  values.map((v, i) => (p !== null && i === p[0] && v !== undefined ? `${v}${p[1]}` : v));

/** What the API layer refuses outright: a lone surrogate or a NUL anywhere. */
const refused = (...values: Array<string | undefined>) =>
  values.some((v) => v !== undefined && (/\p{Cs}/u.test(v) || v.includes('\0')));
/** Fields are trimmed; one that trims to nothing is refused as empty. */
const empty = (...values: Array<string | undefined>) =>
  values.some((v) => v !== undefined && v.trim() === '');
/**
 * A merchant's name must show something (docs/merchant-identity.md): one made only of
 * spaces, marks, controls, format or default-ignorable characters or Braille blanks is
 * refused. The test's own statement of it.
 */
const blankName = (name: string) =>
  !/[^\p{White_Space}\p{M}\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u2800]/u.test(name);

async function ledgerCount(t: TestServer): Promise<number> {
  const verify = await t.owner<LedgerVerifyView>('POST', '/admin/v1/ledger/verify');
  expect(verify.body.ok).toBe(true);
  return verify.body.entries;
}

describe('agent text round-trips as one string, and the ledger verifies', () => {
  it('spend requests, budget requests, receipts and owner comments', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent(
      { budget_cents: 10_000_000, approval_threshold_cents: 5_000 },
      100_000_000,
    );
    let accepted = 0;
    let refusals = 0;

    await fc.assert(
      fc.asyncProperty(
        clean,
        clean,
        fc.option(clean, { nil: undefined }),
        clean,
        clean,
        fc.boolean(),
        poison,
        async (m, r, c, k, v, pending, p) => {
          const [merchant = '', reason = '', category, metaKey = '', metaValue = ''] = spoil(
            [m, r, c, k, v],
            p,
          );
          const before = await ledgerCount(t);
          const body = spendBody(pending ? 6_000 : 100, merchant, {
            reason,
            ...(category === undefined ? {} : { category }),
            metadata: { [metaKey]: metaValue },
          });
          const res = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', body);
          // fast-check offers "__proto__" among its strings: a key that could poison a
          // prototype is refused by the JSON parser, and nothing is written.
          if (metaKey === '__proto__' && !refused(merchant, reason, category, metaValue)) {
            expect(res.status, JSON.stringify(res.body)).toBe(400);
            expect(res.body).toMatchObject({
              error: { code: 'invalid_request', message: expect.stringContaining('__proto__') },
            });
            expect(await ledgerCount(t)).toBe(before);
            return;
          }
          if (refused(merchant, reason, category, metaKey, metaValue)) {
            expect(res.status, JSON.stringify(res.body)).toBe(400);
            expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
            expect(await ledgerCount(t)).toBe(before); // nothing written
            refusals += 1;
            return;
          }
          if (empty(merchant, reason, category) || blankName(merchant)) {
            expect(res.status).toBe(400);
            return;
          }
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          accepted += 1;
          expect(res.body.merchant_name).toBe(merchant.trim());
          expect(res.body.reason).toBe(reason.trim());
          expect(res.body.metadata).toEqual({ [metaKey]: metaValue });
          const read = await t.agent<SpendRequestView>(
            key,
            'GET',
            `/v1/spend/${String(res.body.id)}`,
          );
          for (const field of ['merchant_name', 'reason', 'category', 'metadata'] as const)
            expect(read.body[field], field).toEqual(res.body[field]);

          // The owner's text on the same request, when it waits for them.
          if (res.body.status === 'needs_approval') {
            const declined = await t.call('declineSpend', {
              params: { id: res.body.id },
              body: { comment: metaValue },
            });
            if (!empty(metaValue)) expect(declined.status).toBe(200);
          }
        },
      ),
      { numRuns: RUNS },
    );

    await fc.assert(
      fc.asyncProperty(text, text, async (purpose, merchant) => {
        const before = await ledgerCount(t);
        const asked = await t.agent<AgentBudgetRequestView>(key, 'POST', '/v1/budget-requests', {
          amount_cents: 100,
          purpose,
        });
        if (refused(purpose)) {
          expect(asked.status).toBe(400);
          expect(await ledgerCount(t)).toBe(before);
        } else if (!empty(purpose)) {
          expect(asked.status, JSON.stringify(asked.body)).toBe(200);
          expect(asked.body.purpose).toBe(purpose.trim());
          const read = await t.agent<AgentBudgetRequestView>(
            key,
            'GET',
            `/v1/budget-requests/${String(asked.body.id)}`,
          );
          expect(read.body.purpose).toBe(asked.body.purpose);
          // One active request per agent: reject it so the next run can ask again.
          await t.owner('POST', `/admin/v1/budget-requests/${String(asked.body.id)}/reject`, {});
        }

        const receipt = await t.agent<ReceiptResultView>(key, 'POST', '/v1/receipts', {
          amount_cents: 1,
          merchant_name: merchant,
          rail: 'card',
        });
        if (refused(merchant) || (!empty(merchant) && blankName(merchant))) {
          expect(receipt.status).toBe(400);
        } else if (!empty(merchant)) {
          expect(receipt.status, JSON.stringify(receipt.body)).toBe(200);
          const answered = receipt.body;
          expect(answered.merchant_name).toBe(merchant.trim());
          const entries = await t.call('ledgerPage', {
            query: { type: 'receipt.recorded', limit: 5 },
          });
          const entry = entries.body.entries.find((e) => e.object_id === answered.id);
          expect(entry?.merchant).toBe(answered.merchant_name);
        }
      }),
      { numRuns: RUNS },
    );

    expect(accepted).toBeGreaterThan(0);
    expect(refusals).toBeGreaterThan(0);
    await ledgerCount(t); // verifies
    console.log(`text round-trip: ${accepted} spends accepted, ${refusals} refused as ill-formed`);
  }, 120_000);

  it('a body that is not UTF-8 is refused, not repaired into U+FFFD', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const json = Buffer.concat([
      Buffer.from('{"amount_cents":100,"currency":"usd","merchant_name":"shop'),
      Buffer.from([0xed, 0xa0, 0x80]), // a surrogate encoded as UTF-8: never valid
      Buffer.from('","reason":"x"}'),
    ]);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(t.server.info.port, '127.0.0.1');
      let out = '';
      socket.on('data', (d) => (out += d.toString()));
      socket.on('end', () => resolve(out));
      socket.write(
        `POST /v1/spend HTTP/1.1\r\nHost: 127.0.0.1:${t.server.info.port}\r\n` +
          `Authorization: Bearer ${key}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${json.length}\r\nConnection: close\r\n\r\n`,
      );
      socket.end(json);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('"code":"invalid_request"');
    expect(answer).toContain('not valid UTF-8');
  });

  it('the agent name the owner types obeys the same rule', async () => {
    const t = await startTestServer();
    const bad = await t.owner('POST', '/admin/v1/agents', { name: 'bot\ud800', mode: 'live' });
    expect(bad.status).toBe(400);
    const good = await t.call('createAgent', {
      body: { name: 'bot \u202e\u200b😀', mode: 'live' },
    });
    expect(good.status).toBe(200);
    const listed = await t.call('listAgents');
    expect(listed.body.agents.find((a) => a.id === good.body.id)?.name).toBe(good.body.name);
    await ledgerCount(t);
  });
});
