import { describe, expect, it } from 'vitest';
import {
  ageText,
  expiresSoon,
  expiryText,
  formatDuration,
} from '../../renderer/src/format/durations';
import { nextSelection } from '../../renderer/src/stores/approvals';

describe('durations for the owner', () => {
  it.each([
    [0, '0 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [3_600_000, '1 h'],
    [3_660_000, '1 h 1 min'],
    [86_400_000, '1 d'],
    [90_000_000, '1 d 1 h'],
    [-5_000, '0 s'],
  ])('%i ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('says how old a request is and how long it has left', () => {
    const now = Date.parse('2026-03-14T10:00:00Z');
    expect(ageText('2026-03-14T09:55:00Z', now)).toBe('asked 5 min ago');
    expect(expiryText('2026-03-15T09:59:00Z', now)).toBe('expires in 23 h 59 min');
    expect(expiryText('2026-03-14T10:00:00Z', now)).toBe('expired');
    expect(expiresSoon('2026-03-14T10:59:00Z', now)).toBe(true);
    expect(expiresSoon('2026-03-14T11:00:00Z', now)).toBe(false);
  });
});

describe('keyboard selection', () => {
  const ids = ['a', 'b', 'c'];
  it('starts at the first going down and the last going up', () => {
    expect(nextSelection(ids, null, 1)).toBe('a');
    expect(nextSelection(ids, null, -1)).toBe('c');
  });
  it('moves and stays at the ends', () => {
    expect(nextSelection(ids, 'a', 1)).toBe('b');
    expect(nextSelection(ids, 'c', 1)).toBe('c');
    expect(nextSelection(ids, 'a', -1)).toBe('a');
  });
  it('a selected request that is gone starts over; none left is none', () => {
    expect(nextSelection(ids, 'zzz', 1)).toBe('a');
    expect(nextSelection([], 'a', 1)).toBeNull();
  });
});
