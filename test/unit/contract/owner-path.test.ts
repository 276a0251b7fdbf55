/**
 * `ownerPath` and `ownerRequest` (shared/contract/owner.ts): what every owner client sends.
 * An id is one path segment whatever it holds; a query leaves out what is undefined. The
 * `@ts-expect-error` lines are checked by `npm run typecheck`: the contract types each call.
 */
import { describe, expect, it } from 'vitest';
import { ownerPath, ownerRequest } from '../../../shared/contract/owner';

const BASE = 'http://127.0.0.1:8402';

describe('ownerPath', () => {
  it('puts a hostile id in its one segment, encoded', () => {
    const path = ownerPath('getAgent', { id: '../x?y#z' });
    expect(path).toBe('/admin/v1/agents/..%2Fx%3Fy%23z');
    // As fetch reads it: no other route, no query, no fragment.
    const url = new URL(path, BASE);
    expect(url.pathname).toBe('/admin/v1/agents/..%2Fx%3Fy%23z');
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
    expect(ownerPath('revokeKey', { id: 'key_a/b c%' })).toBe(
      '/admin/v1/keys/key_a%2Fb%20c%25/revoke',
    );
  });

  it('refuses `.` and `..`, which fetch would resolve into another path', () => {
    expect(() => ownerPath('pauseAgent', { id: '..' })).toThrow(/not an id/);
    expect(() => ownerPath('getSpendRequest', { id: '.' })).toThrow(/not an id/);
    expect(ownerPath('getAgent', { id: '...' })).toBe('/admin/v1/agents/...');
  });

  it('writes the query with URLSearchParams, without undefined fields', () => {
    expect(
      ownerPath('ledgerPage', undefined, {
        agent_id: 'a&b=c',
        merchant: 'Café #1',
        before_seq: 42,
        limit: undefined,
      }),
    ).toBe('/admin/v1/ledger?agent_id=a%26b%3Dc&merchant=Caf%C3%A9+%231&before_seq=42');
    expect(ownerPath('listReceipts', undefined, { over_budget: true })).toBe(
      '/admin/v1/receipts?over_budget=true',
    );
    expect(ownerPath('listAgents', undefined)).toBe('/admin/v1/agents');
    expect(ownerPath('ledgerExport', undefined, {})).toBe('/admin/v1/ledger/export');
  });
});

describe('ownerRequest', () => {
  it('takes the method from the contract and leaves the body as given', () => {
    expect(ownerRequest('listAgents')).toEqual({
      method: 'GET',
      path: '/admin/v1/agents',
      body: undefined,
    });
    expect(
      ownerRequest('updatePolicy', { params: { id: 'agt_1' }, body: { budget_cents: 0 } }),
    ).toEqual({
      method: 'PATCH',
      path: '/admin/v1/agents/agt_1/policy',
      body: { budget_cents: 0 },
    });
    expect(ownerRequest('verifyLedger', { query: { wait: 'false' } })).toEqual({
      method: 'POST',
      path: '/admin/v1/ledger/verify?wait=false',
      body: undefined,
    });
  });

  it('is typed by the contract', () => {
    const wrong = [
      // @ts-expect-error a route with `:id` needs its params
      () => ownerRequest('getAgent'),
      // @ts-expect-error a new agent needs a name
      () => ownerRequest('createAgent', { body: {} }),
      // @ts-expect-error the body is checked field by field
      () => ownerRequest('freeze', { body: { frozen: true } }),
      // @ts-expect-error a query value is one the schema takes
      () => ownerRequest('listSpendRequests', { query: { status: 'maybe' } }),
      // @ts-expect-error only routes of the contract
      () => ownerRequest('dropTables'),
    ];
    expect(wrong).toHaveLength(5);
  });
});
