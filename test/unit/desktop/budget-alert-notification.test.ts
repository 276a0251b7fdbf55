/**
 * A budget alert on the desktop (docs/alerts.md): the owner's stream carries one `alert`
 * event of kind `budget_level` per level per window (the core decides that); the shell
 * turns each into one notification that opens Agents, the agent's text shown as text.
 */
import { describe, expect, it } from 'vitest';
import { notificationText } from '../../../electron/desktop/notification-text';
import { parseOwnerEvent } from '../../../electron/desktop/owner-events';
import { initialTrayState, reduceTray, type TrayState } from '../../../electron/desktop/tray-state';

const event = (message: string) =>
  JSON.stringify({
    kind: 'budget_level',
    agent_id: 'agt_1',
    agent_name: 'research-bot',
    object_id: 'req_0A1b2C3d4E5f6G7h8I9j',
    message,
  });

describe('a budget alert on the desktop', () => {
  it('is one notification per alert event, opening Agents', () => {
    let state: TrayState = reduceTray(initialTrayState, {
      type: 'connection',
      connected: true,
    }).state;
    const shown: Array<ReturnType<typeof notificationText>> = [];
    for (const message of [
      'research-bot has used 80% of its monthly budget: $80.00 of $100.00',
      'research-bot has used 100% of its monthly budget: $100.00 of $100.00',
    ]) {
      const parsed = parseOwnerEvent('alert', event(message));
      expect(parsed).toMatchObject({ type: 'alert', alert: { kind: 'budget_level' } });
      if (!parsed) return;
      const step = reduceTray(state, { type: 'event', event: parsed });
      state = step.state;
      for (const notice of step.notify) shown.push(notificationText(notice, 'darwin'));
    }
    expect(shown).toEqual([
      {
        title: 'Purser: research-bot',
        body: 'research-bot has used 80% of its monthly budget: $80.00 of $100.00',
        route: '#/agents',
      },
      {
        title: 'Purser: research-bot',
        body: 'research-bot has used 100% of its monthly budget: $100.00 of $100.00',
        route: '#/agents',
      },
    ]);
  });

  it('is not shown when the owner turned notifications off', () => {
    const parsed = parseOwnerEvent('alert', event('research-bot has used 80% of its budget'));
    if (!parsed) throw new Error('not parsed');
    const off = reduceTray(initialTrayState, {
      type: 'event',
      event: { type: 'settings', frozen: false, notifications: false, startAtLogin: false },
    }).state;
    expect(reduceTray(off, { type: 'event', event: parsed }).notify).toEqual([]);
  });

  it('shows an agent name with controls as text, and plain on Linux', () => {
    const parsed = parseOwnerEvent('alert', event('bot\u202e has used 80% of <b>its</b> budget'));
    if (!parsed || parsed.type !== 'alert') throw new Error('not parsed');
    const text = notificationText({ type: 'alert', alert: parsed.alert }, 'linux');
    expect(text.body).toBe('bot\\u{202e} has used 80% of &lt;b&gt;its&lt;/b&gt; budget');
  });

  it('skips an alert of a kind the contract does not know', () => {
    expect(
      parseOwnerEvent('alert', event('x').replace('budget_level', 'budget_levels')),
    ).toBeUndefined();
  });
});
