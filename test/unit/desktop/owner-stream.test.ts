/**
 * The tray follows the same event stream as the window, over HTTP (owner-stream.ts),
 * against the real server: counts, one notification per new request, a resync after the
 * stream drops, pausing all agents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TrayFeed, retryDelay } from '../../../electron/desktop/owner-stream';
import {
  pendingCount,
  type TrayNotice,
  type TrayState,
} from '../../../electron/desktop/tray-state';
import { spendBody, startTestServer, type TestServer } from '../../helpers/server';

type Created = { id: string; status: string };

const feeds: TrayFeed[] = [];
afterEach(() => {
  for (const feed of feeds.splice(0)) feed.close();
});

/** A fetch whose event streams the test can cut, as a dropped connection would. */
function cuttableFetch() {
  const streams: AbortController[] = [];
  const wrapped: typeof fetch = (input, init) => {
    if (String(input).endsWith('/admin/v1/events')) {
      const cut = new AbortController();
      streams.push(cut);
      const signals = [cut.signal, init?.signal].filter((s): s is AbortSignal => Boolean(s));
      return fetch(input, { ...init, signal: AbortSignal.any(signals) });
    }
    return fetch(input, init);
  };
  return {
    fetch: wrapped,
    cut: () => streams.forEach((s) => s.abort()),
    opened: () => streams.length,
  };
}

function follow(t: TestServer, fetchImpl: typeof fetch = fetch) {
  const seen: { state: TrayState | undefined; notices: TrayNotice[] } = {
    state: undefined,
    notices: [],
  };
  const feed = new TrayFeed({
    baseUrl: t.url,
    ownerToken: t.server.ownerToken,
    fetch: fetchImpl,
    retryDelaysMs: [50],
    onChange: (state, notify) => {
      seen.state = state;
      seen.notices.push(...notify);
    },
  });
  feeds.push(feed);
  feed.start();
  const until = async (check: (state: TrayState) => boolean, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!(seen.state && check(seen.state))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return seen.state;
  };
  const ids = () =>
    seen.notices.map((n) =>
      n.type === 'spend' ? n.spend.id : n.type === 'budget_request' ? n.request.id : n.type,
    );
  return { feed, seen, until, ids };
}

describe('the tray feed', () => {
  it('starts from the approvals list quietly, then counts and announces each new request', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const before = await t.agent<Created>(key, 'POST', '/v1/spend', spendBody(2_000));
    expect(before.body.status).toBe('needs_approval');

    const { until, ids, feed } = follow(t);
    await until((s) => s.synced && pendingCount(s) === 1, 'the first snapshot');
    expect(ids()).toEqual([]);

    const spend = await t.agent<Created>(key, 'POST', '/v1/spend', spendBody(3_000, 'Vercel'));
    await until((s) => pendingCount(s) === 2, 'the new spend');
    const budget = await t.agent<Created>(key, 'POST', '/v1/budget-requests', {
      amount_cents: 10_000,
      purpose: 'a week of evals',
    });
    await until((s) => pendingCount(s) === 3, 'the budget request');
    // A spend under the threshold is decided at once: no notification, no count.
    await t.agent(key, 'POST', '/v1/spend', spendBody(100));
    expect(ids()).toEqual([spend.body.id, budget.body.id]);

    await t.owner('POST', `/admin/v1/spend-requests/${before.body.id}/approve`, {});
    await t.owner('POST', `/admin/v1/budget-requests/${budget.body.id}/reject`, {});
    const after = await until((s) => pendingCount(s) === 1, 'the decisions');
    expect([...after.spends]).toEqual([spend.body.id]);
    expect(ids()).toEqual([spend.body.id, budget.body.id]);

    await feed.freeze();
    await until((s) => s.frozen, 'agents paused');
  });

  it('after the stream drops, reads the list again and announces what it missed', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const streams = cuttableFetch();
    const { until, ids, seen } = follow(t, streams.fetch);
    await until((s) => s.synced && s.connected, 'the first snapshot');

    streams.cut();
    await until((s) => !s.connected, 'the drop');
    // Made while the tray is not listening: no event reaches it.
    const missed = await t.agent<Created>(key, 'POST', '/v1/spend', spendBody(2_000));
    await until((s) => s.connected && pendingCount(s) === 1, 'the resync');
    expect(streams.opened()).toBeGreaterThanOrEqual(2);
    expect(ids()).toEqual([missed.body.id]);
    expect(seen.notices).toHaveLength(1);
  });

  it('keeps trying while the wallet is unreachable', async () => {
    const t = await startTestServer();
    const url = t.url;
    await t.server.close();
    const states: boolean[] = [];
    const feed = new TrayFeed({
      baseUrl: url,
      ownerToken: t.server.ownerToken,
      retryDelaysMs: [20],
      onChange: (state) => states.push(state.connected),
    });
    feeds.push(feed);
    feed.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(states.length).toBeGreaterThan(2);
    expect(states.every((connected) => !connected)).toBe(true);
  });

  it('backs off between attempts, up to the last delay', () => {
    const delays = [500, 1_000, 2_000, 5_000];
    expect([0, 1, 2, 3, 4, 50].map((a) => retryDelay(a, delays))).toEqual([
      500, 1_000, 2_000, 5_000, 5_000, 5_000,
    ]);
  });
});
