/**
 * The Overview's store and words: a burst of events reads the overview once more (not once
 * each), nothing is read while the page is closed, a dropped stream reads it again when
 * back; latest activity in words, agent text shown as text.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, type OwnerEvent } from '../../../renderer/src/api/client';
import { activityText, type ActivityEntry } from '../../../renderer/src/format/activity';
import { RELOAD_AFTER_MS, useOverview } from '../../../renderer/src/stores/overview';

const agentEvent: OwnerEvent = {
  event: 'agent',
  data: { agent_id: 'agt_x', change: 'status' },
};

describe('the overview store', () => {
  let reads = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    reads = 0;
    vi.spyOn(api, 'call').mockImplementation((async (name: string) => {
      if (name !== 'overview') throw new Error(`unexpected call ${name}`);
      reads += 1;
      return { as_of: new Date(reads).toISOString() };
    }) as typeof api.call);
  });
  afterEach(() => {
    useOverview.getState().close();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('reads once on open, once more per burst of events, and not at all once closed', async () => {
    const s = useOverview.getState();
    s.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(reads).toBe(1);
    for (let i = 0; i < 5; i += 1) s.apply(agentEvent);
    await vi.advanceTimersByTimeAsync(RELOAD_AFTER_MS);
    expect(reads).toBe(2);
    expect(useOverview.getState().data?.as_of).toBe(new Date(2).toISOString());
    s.close();
    s.apply(agentEvent);
    await vi.advanceTimersByTimeAsync(RELOAD_AFTER_MS * 2);
    expect(reads).toBe(2);
  });

  it('reads again when the stream is back after a drop', async () => {
    const s = useOverview.getState();
    s.open();
    await vi.advanceTimersByTimeAsync(0);
    s.setConnection('live');
    await vi.advanceTimersByTimeAsync(RELOAD_AFTER_MS);
    expect(reads).toBe(1); // first connection: nothing was missed
    s.setConnection('lost');
    s.setConnection('live');
    await vi.advanceTimersByTimeAsync(RELOAD_AFTER_MS);
    expect(reads).toBe(2);
  });
});

const entry = (over: Partial<ActivityEntry>): ActivityEntry => ({
  seq: 1,
  ts: '2026-03-14T10:00:00.000Z',
  type: 'spend.approved',
  actor: 'key:key_x',
  agent_id: 'agt_x',
  agent_name: 'research-bot',
  object_id: 'req_x',
  amount_micros: '12500000',
  status: 'approved',
  merchant: 'OpenAI',
  rail: null,
  ...over,
});

describe('activity in words', () => {
  it('says who did what, for how much and where', () => {
    expect(activityText(entry({}))).toBe('research-bot spent $12.50 at OpenAI');
    expect(activityText(entry({ type: 'spend.needs_approval' }))).toBe(
      'research-bot asks to spend $12.50 at OpenAI',
    );
    expect(
      activityText(entry({ type: 'agent.status_changed', status: 'paused', amount_micros: null })),
    ).toBe('research-bot was paused');
    expect(activityText(entry({ type: 'wallet.frozen', agent_id: null, agent_name: null }))).toBe(
      'Every agent was frozen',
    );
    // A kind without words of its own is named by its type.
    expect(activityText(entry({ type: 'x402.settled', merchant: null }))).toBe(
      'x402.settled · research-bot · $12.50',
    );
  });

  it('shows an agent’s text as text: control characters made visible', () => {
    const text = activityText(entry({ agent_name: 'bot\u001b[2J', merchant: 'Shop\u202e' }));
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('\\x1b');
  });
});
