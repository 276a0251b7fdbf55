/** Desktop notification text: agent text shown as text on every platform. */
import { describe, expect, it } from 'vitest';
import {
  forPlatformBody,
  notificationText,
  NotificationThrottle,
  shown,
  summaryText,
} from '../../../electron/desktop/notification-text';
import type { TrayNotice } from '../../../electron/desktop/tray-state';

const SPEND_ID = 'req_0A1b2C3d4E5f6G7h8I9j';

function spendNotice(
  fields: Partial<{ agent_name: string; merchant_name: string; reason: string }> = {},
): TrayNotice {
  return {
    type: 'spend',
    spend: {
      id: SPEND_ID,
      status: 'needs_approval',
      agent_name: 'research-bot',
      amount_micros: '12500000',
      merchant_name: 'AWS',
      reason: 'GPU time for the eval',
      ...fields,
    },
  };
}

describe('notification text', () => {
  it('says who asks for how much, and where, and opens that request', () => {
    const text = notificationText(spendNotice(), 'darwin');
    expect(text).toEqual({
      title: 'research-bot asks to spend $12.50',
      body: 'AWS: GPU time for the eval',
      route: `#/approvals/${SPEND_ID}`,
    });
  });

  it('a budget request opens the approvals list', () => {
    const text = notificationText(
      {
        type: 'budget_request',
        request: {
          id: 'breq_0A1b2C3d4E5f6G7h8I9j',
          status: 'pending',
          agent_name: 'bot',
          requested_amount_cents: 123_456,
          purpose: 'a week of evals',
        },
      },
      'win32',
    );
    expect(text).toEqual({
      title: 'bot asks for a budget of $1,234.56',
      body: 'a week of evals',
      route: '#/approvals',
    });
  });

  it('alerts about an agent open the agents page', () => {
    const text = notificationText(
      {
        type: 'alert',
        alert: {
          kind: 'agent_paused',
          agent_id: 'agt_x',
          agent_name: 'bot',
          object_id: 'agt_x',
          message: 'bot was paused',
        },
      },
      'linux',
    );
    expect(text).toMatchObject({ title: 'Purser: bot', body: 'bot was paused', route: '#/agents' });
  });

  it('shows controls, bidi overrides and zero-width characters as escapes (visible())', () => {
    const text = notificationText(
      spendNotice({
        agent_name: 'bot\u202e',
        merchant_name: 'AW\u200bS',
        reason: 'line one\nline two\x1b]0;pwned\x07\b\b\b',
      }),
      'darwin',
    );
    expect(text.title).toBe('bot\\u{202e} asks to spend $12.50');
    expect(text.body).toBe('AW\\u{200b}S: line one\\nline two\\x1b]0;pwned\\x07\\x08\\x08\\x08');
    // Nothing a terminal or text view acts on is left raw.
    expect(`${text.title}${text.body}`).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });

  it('on Linux, makes markup in the body plain text (notification servers read body markup)', () => {
    const reason =
      '<a href="https://evil.example">Click to approve</a> <img src="file:///etc/passwd"> & more';
    const linux = notificationText(spendNotice({ reason }), 'linux');
    expect(linux.body).not.toMatch(/[<>]/);
    expect(linux.body).toContain('&lt;a href="https://evil.example"&gt;');
    expect(linux.body).toContain('&amp; more');
    // The other platforms show the body as plain text already.
    expect(notificationText(spendNotice({ reason }), 'darwin').body).toContain('<a href=');
    expect(forPlatformBody('a&b', 'win32')).toBe('a&b');
    // The title is plain text everywhere (the spec allows no markup there).
    expect(notificationText(spendNotice({ agent_name: '<b>bot</b>' }), 'linux').title).toContain(
      '<b>bot</b>',
    );
  });

  it('cuts long agent text, never in the middle of an escape or a character', () => {
    const long = `${'x'.repeat(179)}\u202e${'y'.repeat(500)}`;
    const body = shown(long, 180);
    expect(body).toBe(`${'x'.repeat(179)}\\u{202e}…`);
    expect(shown('😀'.repeat(200), 180)).toBe(`${'😀'.repeat(180)}…`);
    expect(shown('short', 180)).toBe('short');
  });
});

describe('NotificationThrottle', () => {
  it('shows the first few of a burst, then one summary for the rest', () => {
    const throttle = new NotificationThrottle(4, 10_000);
    const shownNow = Array.from({ length: 10 }, (_, i) => throttle.admit(1_000 + i));
    expect(shownNow).toEqual([true, true, true, true, false, false, false, false, false, false]);
    expect(throttle.flush(5_000)).toBe(0); // the window has not passed
    expect(throttle.flush(11_001)).toBe(6);
    expect(throttle.flush(11_002)).toBe(0);
    expect(summaryText(6)).toMatchObject({
      title: '6 more requests wait for you',
      route: '#/approvals',
    });
    expect(summaryText(1).title).toBe('1 more request waits for you');
  });

  it('lets a steady trickle through one by one', () => {
    const throttle = new NotificationThrottle(4, 10_000);
    for (let i = 0; i < 20; i += 1) expect(throttle.admit(i * 3_000)).toBe(true);
  });
});
