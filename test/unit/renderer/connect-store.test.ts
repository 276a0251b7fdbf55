/**
 * The Connect dialog's store (renderer/src/stores/connect.ts) with the owner API stubbed:
 * the first request of a connection is the agent's first spend created since its new key,
 * not an older one decided meanwhile nor another agent's; it follows its decision; the key
 * goes when the dialog closes, the watch stays.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, type ConnectView, type OwnerEvent } from '../../../renderer/src/api/client';
import { useConnect } from '../../../renderer/src/stores/connect';

type Spend = Extract<OwnerEvent, { event: 'spend' }>['data'];
const KEY_AT = '2026-03-14T10:00:00.000Z';
const SECRET = `psk_live_${'S'.repeat(40)}`;

const answer: ConnectView = {
  client: 'claude-code',
  agent_id: 'agt_1',
  url: 'http://127.0.0.1:8402',
  key: {
    id: 'key_1',
    agent_id: 'agt_1',
    mode: 'live',
    prefix: 'psk_live_SSSS',
    last4: 'SSSS',
    scopes: ['spend.read', 'spend.write'],
    label: 'mcp:claude-code',
    created_at: KEY_AT,
    expires_at: null,
    revoked_at: null,
    key: SECRET,
  },
  key_id: 'key_1',
  config: { path: '/home/me/.claude.json', written: true, status: 'installed', backup: null },
  snippets: [],
  notes: [],
};

function spend(id: string, over: Partial<Spend> = {}): OwnerEvent {
  return {
    event: 'spend',
    data: {
      id,
      agent_id: 'agt_1',
      agent_name: 'bot',
      status: 'approved',
      decision_reason: 'ok',
      decision_rule: 'approved',
      amount_cents: 300,
      amount_micros: '3000000',
      merchant_name: 'OpenAI',
      merchant_key: 'openai',
      reason: 'tokens',
      category: null,
      created_at: '2026-03-14T10:00:05.000Z',
      decided_at: null,
      expires_at: null,
      policy_version: 1,
      owner_comment: null,
      budget_request_id: null,
      impact: null,
      x402: null,
      ...over,
    } as Spend,
  };
}

describe('the Connect store', () => {
  beforeEach(() => {
    useConnect.setState({ dialog: null, watches: {} });
  });
  afterEach(() => vi.restoreAllMocks());

  it('watches for the first request since the key, follows its decision, and drops the key on close', async () => {
    const call = vi.spyOn(api, 'call').mockResolvedValue(answer as never);
    useConnect.getState().open('agt_1');
    await useConnect.getState().connect('claude-code', true);
    expect(call).toHaveBeenCalledWith('connectAgent', {
      params: { id: 'agt_1' },
      body: { client: 'claude-code', write_config: true },
    });
    expect(useConnect.getState().dialog?.answer?.key?.key).toBe(SECRET);
    const apply = (e: OwnerEvent) => useConnect.getState().apply(e);
    const first = () => useConnect.getState().watches.agt_1?.first ?? null;

    // An older request decided now, and another agent's: not this connection's.
    apply(spend('req_old', { created_at: '2026-03-14T09:00:00.000Z' }));
    apply(spend('req_other', { agent_id: 'agt_2' }));
    expect(first()).toBeNull();

    apply(spend('req_1', { status: 'needs_approval' }));
    expect(first()).toMatchObject({ id: 'req_1', status: 'needs_approval' });
    apply(spend('req_2', { created_at: '2026-03-14T10:00:06.000Z' }));
    expect(first()?.id).toBe('req_1');
    apply(spend('req_1', { status: 'approved' }));
    expect(first()).toMatchObject({ id: 'req_1', status: 'approved' });

    useConnect.getState().close();
    expect(JSON.stringify(useConnect.getState())).not.toContain(SECRET);
    expect(first()?.id).toBe('req_1');
    useConnect.getState().forget('agt_1');
    expect(useConnect.getState().watches).toEqual({});
  });

  it('a refusal is shown in the dialog, and nothing is watched', async () => {
    vi.spyOn(api, 'call').mockRejectedValue(new Error('Agent agt_1 is revoked'));
    useConnect.getState().open('agt_1');
    await useConnect.getState().connect('shell', false);
    expect(useConnect.getState().dialog).toMatchObject({
      busy: false,
      error: 'Agent agt_1 is revoked',
      answer: null,
    });
    expect(useConnect.getState().watches).toEqual({});
  });
});
