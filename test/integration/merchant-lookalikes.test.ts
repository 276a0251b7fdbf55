/**
 * Merchant identity over real HTTP (docs/merchant-identity.md): lists match on the
 * normalised key, a look-alike of a listed name is never approved silently, and the
 * owner sees the key beside the raw name.
 */
import { describe, expect, it } from 'vitest';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer } from '../helpers/server';

const CYRILLIC_AWS = '\u0430ws';

/** Each of these used to be approved with `aws` and `api.openai.com` on the deny-list. */
const ATTACKS = [
  'aws\u200b',
  '\u200baws',
  '\uff41\uff57\uff53', // full-width ａｗｓ
  'aws\u00ad',
  'api.openai.com.',
  'api.openai.com:443',
  'https://api.openai.com/v1',
  CYRILLIC_AWS,
];

describe('merchant look-alikes over HTTP', () => {
  it('declines every disguise of a denied name', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ deny_merchants: ['aws', 'api.openai.com'] });
    for (const merchant of ATTACKS) {
      const r = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100, merchant));
      expect(r.status, JSON.stringify(merchant)).toBe(200);
      expect(r.body.status, JSON.stringify(merchant)).toBe('declined');
      expect(r.body.decision_rule).toBe(
        merchant === CYRILLIC_AWS ? 'merchant_lookalike_denied' : 'merchant_denied',
      );
      // The agent is answered with its name as sent, never the key.
      expect(r.body.merchant_name).toBe(merchant);
      expect(r.body).not.toHaveProperty('merchant_key');
    }
    const other = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100, 'gcp'));
    expect(other.body.status).toBe('approved');
  });

  it('asks the owner about a look-alike of an allowed name, and shows the key', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ allow_merchants: ['aws'] });
    const fake = await t.agent<SpendRequestView>(
      key,
      'POST',
      '/v1/spend',
      spendBody(100, CYRILLIC_AWS),
    );
    expect(fake.body).toMatchObject({
      status: 'needs_approval',
      decision_rule: 'merchant_lookalike',
      decision_reason: `Merchant "${CYRILLIC_AWS}" looks like "aws" on the allow-list but is not the same name`,
      merchant_name: CYRILLIC_AWS,
    });
    const real = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100, 'AWS '));
    expect(real.body).toMatchObject({ status: 'approved', decision_rule: 'within_policy' });

    const seen = await t.call('getSpendRequest', { params: { id: fake.body.id } });
    expect(seen.body).toMatchObject({ merchant_name: CYRILLIC_AWS, merchant_key: CYRILLIC_AWS });
    const pending = await t.call('listApprovals');
    expect(pending.body.spend_requests.map((r) => [r.merchant_name, r.merchant_key])).toEqual([
      [CYRILLIC_AWS, CYRILLIC_AWS],
    ]);
    const url = await t.agent<SpendRequestView>(
      key,
      'POST',
      '/v1/spend',
      spendBody(100, 'https://AWS:443/x'),
    );
    expect(url.body.status).toBe('approved');
    const listed = await t.call('listSpendRequests', { query: { status: 'approved' } });
    expect(listed.body.spend_requests.map((r) => [r.merchant_name, r.merchant_key])).toEqual(
      expect.arrayContaining([
        ['AWS', 'aws'],
        ['https://AWS:443/x', 'aws'],
      ]),
    );

    // Approved by the owner, it counts like any other pending request.
    const ok = await t.call('approveSpend', { params: { id: fake.body.id }, body: {} });
    expect(ok.body).toMatchObject({ status: 'approved', decision_rule: 'owner_approved' });
  });

  it('a look-alike pending request does not escape the hard limits', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ allow_merchants: ['aws'] }, 50);
    const r = await t.agent(key, 'POST', '/v1/spend', spendBody(100, CYRILLIC_AWS));
    expect(r.status).toBe(402);
  });

  it('a new-merchant check knows a disguise of a merchant already paid', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ ask_on_new_merchant: true });
    const first = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100, 'aws'));
    expect(first.body.decision_rule).toBe('new_merchant');
    await t.owner('POST', `/admin/v1/spend-requests/${first.body.id}/approve`, {});
    for (const merchant of ['AWS\u200b', '\uff41\uff57\uff53']) {
      const r = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100, merchant));
      expect(r.body.status, JSON.stringify(merchant)).toBe('approved');
    }
    const fake = await t.agent<SpendRequestView>(
      key,
      'POST',
      '/v1/spend',
      spendBody(100, CYRILLIC_AWS),
    );
    expect(fake.body).toMatchObject({ status: 'needs_approval', decision_rule: 'new_merchant' });
  });
});
