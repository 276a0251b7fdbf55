/**
 * The Agents page's store as plain functions: the reducer, which agent an event concerns,
 * the policy form parsed and checked with the API's own schemas, the API's refusals in plain
 * words (checked against a real server's answers), and the key actions (issue, rotate,
 * revoke) with the owner API stubbed, the key shown once and dropped on close.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { OwnerCallName } from '../../../shared/contract/owner';
import { DEFAULT_POLICY, type PolicyInput } from '../../../shared/schemas/policy';
import type { AgentView } from '../../../shared/schemas/owner-api';
import type { ErrorEnvelope } from '../../../shared/errors';
import {
  api,
  OwnerApiError,
  type IssuedKeyView,
  type KeyView,
  type OwnerEvent,
} from '../../../renderer/src/api/client';
import { useAgents } from '../../../renderer/src/stores/agents';
import {
  agentsReducer,
  agentToRefresh,
  INITIAL,
  keyIsLive,
} from '../../../renderer/src/stores/agents-state';
import {
  apiFormErrors,
  centsToDollars,
  dollarsToCents,
  draftOf,
  parseCreate,
  parsePolicyEdit,
  percentList,
  plainMessage,
  type PolicyDraft,
} from '../../../renderer/src/stores/policy-draft';
import { startTestServer } from '../../helpers/server';

const NOW = Date.parse('2026-03-14T10:00:00Z');

function agent(id: string, over: Partial<AgentView> = {}): AgentView {
  return {
    id,
    name: `bot-${id}`,
    mode: 'live',
    status: 'active',
    funding_source_id: 'fs_1',
    policy_version: 1,
    policy: { ...DEFAULT_POLICY, budget_cents: 5_000 },
    budget: {
      period: 'monthly',
      window_kind: 'calendar',
      budget_cents: 5_000,
      spent_cents: 0,
      remaining_cents: 5_000,
      spent_micros: '0',
      over_budget: false,
      window_start: '2026-03-01T00:00:00.000Z',
      window_end: '2026-04-01T00:00:00.000Z',
    },
    budget_alert: null,
    created_at: '2026-03-01T00:00:00.000Z',
    updated_at: '2026-03-01T00:00:00.000Z',
    ...over,
  };
}

function key(id: string, over: Partial<KeyView> = {}): KeyView {
  return {
    id,
    agent_id: 'agt_1',
    mode: 'live',
    prefix: 'psk_live_AbCd',
    last4: 'wxyz',
    scopes: ['spend.read', 'spend.write'],
    label: null,
    created_at: '2026-03-01T00:00:00.000Z',
    expires_at: null,
    revoked_at: null,
    ...over,
  };
}

const SECRET = `psk_live_${'S'.repeat(40)}`;
const issued = (id: string, over: Partial<KeyView> = {}): IssuedKeyView => ({
  ...key(id, over),
  key: SECRET,
});

describe('the reducer', () => {
  it('loads, and replaces an agent in place or adds a new one at the end', () => {
    let s = agentsReducer(INITIAL, { type: 'loading' });
    expect(s.loading).toBe(true);
    s = agentsReducer(s, { type: 'loaded', agents: [agent('a'), agent('b')] });
    expect(s).toMatchObject({ loading: false, error: null });
    s = agentsReducer(s, { type: 'agent', agent: agent('a', { status: 'paused' }) });
    s = agentsReducer(s, { type: 'agent', agent: agent('c') });
    expect(s.agents.map((a) => [a.id, a.status])).toEqual([
      ['a', 'paused'],
      ['b', 'active'],
      ['c', 'active'],
    ]);
    expect(agentsReducer(s, { type: 'load_failed', message: 'down' }).error).toBe('down');
  });

  it('never keeps an issued key among the listed keys', () => {
    let s = agentsReducer(INITIAL, { type: 'key', key: issued('key_1') });
    s = agentsReducer(s, { type: 'keys', agentId: 'agt_2', keys: [issued('key_2')] });
    expect(JSON.stringify(s)).not.toContain(SECRET);
    expect(s.keys.agt_1?.[0]).toEqual(key('key_1'));
    s = agentsReducer(s, {
      type: 'key',
      key: key('key_1', { revoked_at: '2026-03-02T00:00:00.000Z' }),
    });
    expect(s.keys.agt_1).toHaveLength(1);
    expect(s.keys.agt_1?.[0]?.revoked_at).not.toBeNull();
  });

  it('holds a revealed key until its dialog closes, then drops it', () => {
    const reveal = {
      agentId: 'agt_1',
      agentName: 'bot',
      key: issued('key_1'),
      replaced: null,
      revokeFailed: null,
    };
    const shown = agentsReducer(INITIAL, { type: 'revealed', reveal });
    expect(shown.reveal?.key.key).toBe(SECRET);
    const closed = agentsReducer(shown, { type: 'reveal_closed' });
    expect(closed.reveal).toBeNull();
    expect(JSON.stringify(closed)).not.toContain(SECRET);
  });

  it('keeps a refusal until dismissed, and marks what is busy', () => {
    let s = agentsReducer(INITIAL, { type: 'failed', message: 'no' });
    s = agentsReducer(s, { type: 'busy', id: 'agt_1' });
    expect(s).toMatchObject({ actionError: 'no', busy: 'agt_1' });
    s = agentsReducer(s, { type: 'dismissed' });
    expect(s.actionError).toBeNull();
  });

  it('a key is live until revoked or expired', () => {
    expect(keyIsLive(key('k'), NOW)).toBe(true);
    expect(keyIsLive(key('k', { revoked_at: '2026-03-01T00:00:00Z' }), NOW)).toBe(false);
    expect(keyIsLive(key('k', { expires_at: '2026-03-14T10:00:00Z' }), NOW)).toBe(false);
    expect(keyIsLive(key('k', { expires_at: '2026-03-14T10:00:01Z' }), NOW)).toBe(true);
  });
});

describe('which agent an event concerns', () => {
  it('the agent of a spend, receipt, budget request, alert or chain event; all for settings', () => {
    const spend = { event: 'spend', data: { agent_id: 'agt_1' } } as unknown as OwnerEvent;
    const receipt = { event: 'receipt', data: { id: 'r', agent_id: 'agt_2', agent_name: 'x' } };
    const alert = { event: 'alert', data: { agent_id: 'agt_3' } } as unknown as OwnerEvent;
    const chain = { event: 'chain', data: { agent_id: null } } as unknown as OwnerEvent;
    const settings = { event: 'settings', data: {} } as unknown as OwnerEvent;
    expect(agentToRefresh(spend)).toBe('agt_1');
    expect(agentToRefresh(receipt as OwnerEvent)).toBe('agt_2');
    expect(agentToRefresh(alert)).toBe('agt_3');
    expect(agentToRefresh(chain)).toBeNull();
    expect(agentToRefresh(settings)).toBe('all');
  });
});

describe('dollars typed in the form', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['$1,200', 120_000],
    [' 0 ', 0],
    ['.5', 50],
    ['5.', 500],
    ['-5', -500],
    ['1000000000', 100_000_000_000],
    ['12,345.60', 1_234_560],
    ['1,000,000', 100_000_000],
    ['120.000', 12_000],
  ])('%j is %i cents', (text, cents) => expect(dollarsToCents(text)).toBe(cents));

  it('refuses a decimal comma and badly grouped commas instead of reading them as thousands', () => {
    // "120,50" is $120.50 in many locales; it must never become $12,050.
    for (const text of ['120,50', '300,00', '1,5', '1,2000', ',100', '1,,000', '12,34.5'])
      expect(dollarsToCents(text)).toBeNaN();
  });

  it('never rounds digits past the cent: any that are not zero make the amount refused', () => {
    expect(Number.isInteger(dollarsToCents('120.009999999999999999'))).toBe(false);
    expect(Number.isInteger(dollarsToCents('120.0000000000000001'))).toBe(false);
    expect(Number.isInteger(dollarsToCents('-5.001'))).toBe(false);
  });

  it('keeps a third decimal (which the schema refuses) and makes anything else NaN', () => {
    expect(dollarsToCents('12.345')).toBe(1234.5);
    expect(dollarsToCents('-12.345')).toBe(-1234.5);
    expect(dollarsToCents('abc')).toBeNaN();
    expect(dollarsToCents('')).toBeNaN();
    expect(dollarsToCents('1.2.3')).toBeNaN();
    expect(dollarsToCents('$')).toBeNaN();
  });

  it('cents back to the form, from integers', () => {
    expect(centsToDollars(0)).toBe('0.00');
    expect(centsToDollars(5)).toBe('0.05');
    expect(centsToDollars(123_456)).toBe('1234.56');
    expect(centsToDollars(-250)).toBe('-2.50');
  });
});

const draft = (over: Partial<PolicyDraft> = {}): PolicyDraft => ({
  ...draftOf(undefined, { name: 'research-bot', mode: 'live' }),
  ...over,
});

describe('a new agent, checked with the API schema', () => {
  it('a good draft gives the body the API takes', () => {
    const parsed = parseCreate(draft({ budget: '50', allow_merchants: 'aws\n\n  *.openai.com ' }));
    expect(parsed).toEqual({
      ok: true,
      body: {
        ...DEFAULT_POLICY,
        name: 'research-bot',
        mode: 'live',
        budget_cents: 5_000,
        allow_merchants: ['aws', '*.openai.com'],
      },
    });
  });

  it('says what is wrong in plain words, by field', () => {
    const parsed = parseCreate(
      draft({
        name: '  ',
        budget: '-5',
        max_transaction: '12.345',
        velocity_per_hour: 'lots',
        rate_limit_per_minute: '0',
        deny_merchants: `ok\n${'x'.repeat(254)}`,
      }),
    );
    if (parsed.ok) throw new Error('expected errors');
    expect(parsed.errors.fields).toEqual({
      name: 'Must not be empty.',
      budget: 'Must not be negative.',
      max_transaction: 'Must be an amount in dollars with at most two decimals, like 25 or 12.50.',
      velocity_per_hour: 'Must be a whole number, like 10.',
      rate_limit_per_minute: 'Must be at least 1.',
      deny_merchants: 'Entry 2: must be at most 253 characters.',
    });
    expect(parsed.errors.summary).toMatch(/^Check the form: Name: must not be empty\. Budget:/);
    expect(parsed.errors.summary).not.toMatch(/Too small|expected|NaN|_cents/);
  });

  it('an amount over a billion dollars is said in dollars, not cents', () => {
    const parsed = parseCreate(draft({ budget: '1000000000.01' }));
    if (parsed.ok) throw new Error('expected errors');
    expect(parsed.errors.fields.budget).toBe('Must be at most $1,000,000,000.');
  });
});

describe('a policy edit, checked with the API schema', () => {
  const current: PolicyInput = { ...DEFAULT_POLICY, budget_cents: 5_000, deny_merchants: ['aws'] };

  it('sends only what changed, and nothing when nothing did', () => {
    const same = draftOf(current);
    expect(parsePolicyEdit(same, current)).toEqual({ ok: true, body: {} });
    const changed = { ...same, budget: '75.00', deny_merchants: 'aws\ncasino.example' };
    expect(parsePolicyEdit(changed, current)).toEqual({
      ok: true,
      body: { budget_cents: 7_500, deny_merchants: ['aws', 'casino.example'] },
    });
  });

  it('a cleared optional limit is null; a cleared required one is an error', () => {
    const withLimit = { ...current, max_transaction_cents: 1_000 };
    const cleared = { ...draftOf(withLimit), max_transaction: ' ' };
    expect(parsePolicyEdit(cleared, withLimit)).toEqual({
      ok: true,
      body: { max_transaction_cents: null },
    });
    const noRate = { ...draftOf(current), rate_limit_per_minute: '' };
    const parsed = parsePolicyEdit(noRate, current);
    if (parsed.ok) throw new Error('expected errors');
    expect(parsed.errors.fields.rate_limit_per_minute).toBe('Must be a whole number, like 10.');
  });
});

describe('budget alert levels in the form', () => {
  const current: PolicyInput = { ...DEFAULT_POLICY, budget_cents: 5_000 };

  it('shows the levels as percents; typed in any order, they are sent sorted and once each', () => {
    const draft = draftOf(current);
    expect(draft.alert_levels).toBe('80, 100');
    expect(percentList('100 80%, 50;80')).toEqual([50, 80, 100]);
    expect(parsePolicyEdit({ ...draft, alert_levels: '90,50' }, current)).toEqual({
      ok: true,
      body: { alert_levels_percent: [50, 90] },
    });
    expect(parsePolicyEdit({ ...draft, alert_levels: ' ' }, current)).toEqual({
      ok: true,
      body: { alert_levels_percent: [] },
    });
    expect(parsePolicyEdit({ ...draft, alert_levels: '100, 80' }, current)).toEqual({
      ok: true,
      body: {},
    });
  });

  it('refuses what is not a percent from 1 to 100, by the field, in plain words', () => {
    for (const [typed, message] of [
      ['80, lots', 'Must be a whole number of percent, like 80.'],
      ['150', 'Must be at most 100 (percent).'],
      ['0, 80', 'Must be at least 1 (percent).'],
      ['10 20 30 40 50 60', 'At most 5 levels.'],
    ] as const) {
      const parsed = parsePolicyEdit({ ...draftOf(current), alert_levels: typed }, current);
      if (parsed.ok) throw new Error(`expected errors for ${typed}`);
      expect(parsed.errors.fields.alert_levels, typed).toBe(message);
      expect(parsed.errors.summary).toContain('Alert me at (% of budget):');
    }
  });
});

describe('plain words for zod defaults', () => {
  it.each([
    ['Too small: expected number to be >=1', 'must be at least 1'],
    ['Too big: expected number to be <=1000000', 'must be at most 1,000,000'],
    ['Invalid input: expected number, received NaN', 'must be a whole number, like 10'],
    ['Invalid option: expected one of "daily"|"weekly"', 'must be one of daily, weekly'],
    ['Invalid input: expected boolean, received string', 'must be on or off'],
    ['Unrecognized key: "budget"', 'is not a setting Purser knows'],
    ['must not be negative', 'must not be negative'],
  ])('%j', (message, plain) => expect(plainMessage(null, message)).toBe(plain));
});

describe("the API's refusals in plain words", () => {
  const refusal = (status: number, envelope: ErrorEnvelope['error']) =>
    new OwnerApiError(status, { error: envelope });

  it('from a real server: a schema failure names the field the form shows', async () => {
    const t = await startTestServer();
    const { agent: a } = await t.newAgent();
    const bad = await t.owner<ErrorEnvelope>('PATCH', `/admin/v1/agents/${a.id}/policy`, {
      rate_limit_per_minute: 0,
    });
    expect(bad.status).toBe(400);
    const errors = apiFormErrors(new OwnerApiError(bad.status, bad.body));
    expect(errors.fields).toEqual({ rate_limit_per_minute: 'Must be at least 1.' });
    expect(errors.summary).toBe('Purser refused it: Requests per minute: must be at least 1.');
  });

  it('from a real server: a policy over the body limit, which the schema allows', async () => {
    const t = await startTestServer();
    const { agent: a } = await t.newAgent();
    const huge = Array.from({ length: 300 }, (_, i) => `m${i}-${'x'.repeat(240)}`);
    const big = await t.owner<ErrorEnvelope>('PATCH', `/admin/v1/agents/${a.id}/policy`, {
      deny_merchants: huge,
    });
    expect(big.status).toBe(413);
    expect(apiFormErrors(new OwnerApiError(big.status, big.body)).summary).toBe(
      'Purser refused it: Request body too large (at most 64 KiB). Shorten the merchant and category lists.',
    );
  });

  it('a bad text names its field; other refusals keep the API message', () => {
    const nul = refusal(400, {
      code: 'invalid_request',
      message: 'Invalid body: deny_merchants.0 may not contain NUL (U+0000).',
      details: { field: 'deny_merchants.0', reason: 'nul_character' },
    });
    expect(apiFormErrors(nul).fields.deny_merchants).toMatch(/may not contain NUL/);
    const revoked = refusal(409, {
      code: 'invalid_request',
      message: 'Agent agt_1 is revoked; it cannot get new keys.',
      details: {},
    });
    expect(apiFormErrors(revoked)).toEqual({
      fields: {},
      summary: 'Purser refused it: Agent agt_1 is revoked; it cannot get new keys.',
    });
  });

  it('no session, and no server', () => {
    expect(apiFormErrors(new OwnerApiError(401, undefined)).summary).toMatch(/not logged in/);
    expect(apiFormErrors(new TypeError('Failed to fetch')).summary).toBe(
      'Purser could not be reached (Failed to fetch). Try again.',
    );
  });
});

/**
 * The owner API's calls, stubbed by route name. Each stub gets what the call names — the
 * id in its path, then its body or query — so an assertion reads `('agt_1', { label })`.
 */
const handlers = new Map<string, Mock<(...args: never[]) => unknown>>();
function stub(name: OwnerCallName) {
  const fn = vi.fn<(...args: never[]) => unknown>();
  handlers.set(name, fn);
  return fn;
}
type CallInput = { params?: { id?: string }; body?: unknown; query?: unknown } | undefined;
const argsOf = (input: CallInput) =>
  [input?.params?.id, input?.body ?? input?.query].filter((a) => a !== undefined) as never[];

describe('the store, with the owner API stubbed', () => {
  beforeEach(() => {
    handlers.clear();
    vi.spyOn(api, 'call').mockImplementation((async (name: string, input?: CallInput) => {
      const handler = handlers.get(name);
      if (!handler) throw new Error(`the test did not stub ${name}`);
      return handler(...argsOf(input));
    }) as typeof api.call);
    useAgents.setState({
      ...INITIAL,
      agents: [agent('agt_1')],
      keys: { agt_1: [key('key_old', { label: 'laptop' })] },
    });
    stub('getAgent').mockImplementation(async (id) => agent(id));
    stub('listKeys').mockResolvedValue({ keys: [] });
    stub('ledgerPage').mockResolvedValue({ entries: [], next_before_seq: null });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('issues a key and reveals it once; closing drops it', async () => {
    const issue = stub('issueKey').mockResolvedValue(issued('key_new'));
    expect(await useAgents.getState().issueKey('agt_1', '  ci  ')).toBeNull();
    expect(issue).toHaveBeenCalledWith('agt_1', { label: 'ci' });
    expect(useAgents.getState().reveal?.key.key).toBe(SECRET);
    expect(JSON.stringify(useAgents.getState().keys)).not.toContain(SECRET);
    useAgents.getState().closeReveal();
    expect(JSON.stringify(useAgents.getState())).not.toContain(SECRET);
  });

  it('rotates: a new key like the old one first, then the old one revoked', async () => {
    const calls: string[] = [];
    stub('issueKey').mockImplementation(async (agentId, body) => {
      calls.push(`issue ${agentId} ${JSON.stringify(body)}`);
      return issued('key_new', { label: 'laptop' });
    });
    stub('revokeKey').mockImplementation(async (id) => {
      calls.push(`revoke ${id}`);
      return key(id, { revoked_at: '2026-03-14T10:00:00Z' });
    });
    expect(await useAgents.getState().rotateKey('key_old')).toBeNull();
    expect(calls).toEqual([
      'issue agt_1 {"scopes":["spend.read","spend.write"],"label":"laptop"}',
      'revoke key_old',
    ]);
    const { reveal, keys } = useAgents.getState();
    expect(reveal).toMatchObject({ replaced: { id: 'key_old' }, revokeFailed: null });
    expect(keys.agt_1?.map((k) => [k.id, k.revoked_at !== null])).toEqual([
      ['key_old', true],
      ['key_new', false],
    ]);
  });

  it('a rotation whose revoke fails still shows the new key, and says the old one works', async () => {
    stub('issueKey').mockResolvedValue(issued('key_new'));
    stub('revokeKey').mockRejectedValue(new Error('connection reset'));
    expect(await useAgents.getState().rotateKey('key_old')).toBeNull();
    const { reveal, actionError } = useAgents.getState();
    expect(reveal?.revokeFailed).toBe('connection reset');
    expect(actionError).toMatch(/could not be revoked and still works: connection reset/);
  });

  it('a rotation whose issue fails revokes nothing', async () => {
    stub('issueKey').mockRejectedValue(new Error('down'));
    const revoke = stub('revokeKey');
    expect(await useAgents.getState().rotateKey('key_old')).toBe(
      'No new key was issued, and the old one still works: down',
    );
    expect(revoke).not.toHaveBeenCalled();
    expect(useAgents.getState().reveal).toBeNull();
  });

  it('an edit that changes nothing writes no policy version', async () => {
    const update = stub('updatePolicy');
    expect(await useAgents.getState().savePolicy('agt_1', {})).toBeNull();
    expect(update).not.toHaveBeenCalled();
  });

  it('a spend event reads its agent again; events meanwhile coalesce into one more read', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = stub('getAgent').mockImplementation(async (id) => {
      await gate;
      return agent(id, {
        budget: { ...agent(id).budget, spent_cents: 1_200, spent_micros: '12000000' },
      });
    });
    const spend = { event: 'spend', data: { agent_id: 'agt_1' } } as unknown as OwnerEvent;
    useAgents.getState().apply(spend);
    useAgents.getState().apply(spend);
    useAgents.getState().apply(spend);
    release();
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(2));
    await vi.waitFor(() =>
      expect(useAgents.getState().agents[0]?.budget.spent_micros).toBe('12000000'),
    );
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('events from an agent not listed yet (made in a terminal) load the list once more', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const list = stub('listAgents').mockImplementation(async () => {
      await gate;
      return { agents: [agent('agt_1'), agent('agt_new')] };
    });
    const spend = { event: 'spend', data: { agent_id: 'agt_new' } } as unknown as OwnerEvent;
    for (let i = 0; i < 5; i += 1) useAgents.getState().apply(spend);
    release();
    await vi.waitFor(() => expect(useAgents.getState().agents).toHaveLength(2));
    await vi.waitFor(() => expect(useAgents.getState().loading).toBe(false));
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('pausing a revoked agent keeps the API reason on screen', async () => {
    stub('pauseAgent').mockRejectedValue(
      new OwnerApiError(409, {
        error: {
          code: 'invalid_request',
          message: 'Agent agt_1 is revoked; a revoked agent cannot be paused.',
          details: {},
        },
      }),
    );
    await useAgents.getState().pause('agt_1');
    expect(useAgents.getState().actionError).toBe(
      'Agent agt_1 is revoked; a revoked agent cannot be paused.',
    );
    expect(useAgents.getState().busy).toBeNull();
  });
});
