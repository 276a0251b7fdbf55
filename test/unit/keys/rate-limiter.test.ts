import { describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../../electron/core/clock';
import { RateLimiter } from '../../../electron/core/keys/rate-limiter';

const T0 = 1_800_000_000_000;

/** Takes `n` tokens at `now`; returns the results. */
function burst(rl: RateLimiter, key: string, perMinute: number, n: number, now = T0): number[] {
  return Array.from({ length: n }, () => rl.take(key, perMinute, now));
}

/** Peeks at the private map: the only way to see what prune kept. */
function bucketCount(rl: RateLimiter): number {
  return (rl as unknown as { buckets: Map<string, unknown> }).buckets.size;
}

describe('RateLimiter.take', () => {
  it.each([1, 2, 10, 60, 600])('allows a burst of exactly %i, then refuses', (perMinute) => {
    const rl = new RateLimiter();
    expect(burst(rl, 'k', perMinute, perMinute).every((r) => r === 0)).toBe(true);
    expect(rl.take('k', perMinute, T0)).toBeGreaterThan(0);
  });

  it('returns Retry-After in whole seconds, at least 1', () => {
    const cases: [number, number][] = [
      [1, 60],
      [2, 30],
      [7, 9], // 60 / 7 = 8.57 s, rounded up
      [60, 1],
      [600, 1], // 0.1 s, but never 0
      [100_000, 1],
    ];
    for (const [perMinute, expected] of cases) {
      const rl = new RateLimiter();
      burst(rl, 'k', perMinute, perMinute);
      const retry = rl.take('k', perMinute, T0);
      expect(retry, `perMinute ${perMinute}`).toBe(expected);
      expect(Number.isInteger(retry)).toBe(true);
    }
  });

  it('Retry-After shrinks as the bucket refills', () => {
    const rl = new RateLimiter();
    expect(rl.take('k', 1, T0)).toBe(0);
    expect(rl.take('k', 1, T0 + 10_000)).toBe(50);
    expect(rl.take('k', 1, T0 + 59_001)).toBe(1);
    expect(rl.take('k', 1, T0 + 60_000)).toBe(0);
  });

  it('a refused request costs nothing: waiting the advertised time is enough', () => {
    for (const perMinute of [1, 3, 7, 13, 59, 61, 599, 997]) {
      const rl = new RateLimiter();
      burst(rl, 'k', perMinute, perMinute);
      const retry = rl.take('k', perMinute, T0);
      // hammering while refused does not push the retry time further out
      for (let i = 0; i < 20; i++) expect(rl.take('k', perMinute, T0)).toBe(retry);
      expect(rl.take('k', perMinute, T0 + retry * 1000), `perMinute ${perMinute}`).toBe(0);
    }
  });

  it('refills at perMinute per minute', () => {
    const rl = new RateLimiter();
    burst(rl, 'k', 60, 60);
    expect(rl.take('k', 60, T0 + 999)).toBe(1);
    expect(rl.take('k', 60, T0 + 1_000)).toBe(0);
    expect(rl.take('k', 60, T0 + 1_000)).toBe(1);
    // half a minute later, 30 more
    const later = T0 + 31_000;
    expect(burst(rl, 'k', 60, 30, later).every((r) => r === 0)).toBe(true);
    expect(rl.take('k', 60, later)).toBeGreaterThan(0);
  });

  it('never holds more than a full burst, however long it waited', () => {
    const rl = new RateLimiter();
    rl.take('k', 5, T0);
    const later = T0 + 24 * 60 * MINUTE_MS;
    expect(burst(rl, 'k', 5, 5, later).every((r) => r === 0)).toBe(true);
    expect(rl.take('k', 5, later)).toBeGreaterThan(0);
  });

  it('keeps keys independent', () => {
    const rl = new RateLimiter();
    burst(rl, 'a', 3, 3);
    expect(rl.take('a', 3, T0)).toBeGreaterThan(0);
    expect(burst(rl, 'b', 3, 3).every((r) => r === 0)).toBe(true);
    expect(rl.take('b', 3, T0)).toBeGreaterThan(0);
    expect(rl.take('c', 1, T0)).toBe(0);
  });

  it('keeps separate limiters independent', () => {
    const a = new RateLimiter();
    const b = new RateLimiter();
    burst(a, 'k', 2, 2);
    expect(a.take('k', 2, T0)).toBeGreaterThan(0);
    expect(b.take('k', 2, T0)).toBe(0);
  });

  it('does not refill when the clock goes backwards', () => {
    const rl = new RateLimiter();
    burst(rl, 'k', 2, 2);
    expect(rl.take('k', 2, T0 - 60_000)).toBeGreaterThan(0);
  });

  it('a lowered limit caps the tokens already held', () => {
    const rl = new RateLimiter();
    rl.take('k', 100, T0); // 99 left
    expect(burst(rl, 'k', 2, 2).every((r) => r === 0)).toBe(true);
    expect(rl.take('k', 2, T0)).toBe(30);
  });
});

describe('RateLimiter.prune', () => {
  it('keeps a bucket that is not full again, so pruning lifts no limit', () => {
    const rl = new RateLimiter();
    burst(rl, 'k', 2, 2);
    rl.prune(T0 + 59_000); // 1.97 tokens refilled of 2
    expect(bucketCount(rl)).toBe(1);
    expect(rl.take('k', 2, T0 + 59_000)).toBe(0);
    expect(rl.take('k', 2, T0 + 59_000)).toBeGreaterThan(0);
  });

  it('drops a bucket once it has refilled completely', () => {
    const rl = new RateLimiter();
    burst(rl, 'k', 2, 2);
    rl.prune(T0 + 60_000);
    expect(bucketCount(rl)).toBe(0);
    // a fresh bucket behaves exactly like the refilled one
    expect(burst(rl, 'k', 2, 2, T0 + 60_000)).toEqual([0, 0]);
    expect(rl.take('k', 2, T0 + 60_000)).toBeGreaterThan(0);
  });

  it('drops only the full buckets among several', () => {
    const rl = new RateLimiter();
    rl.take('slow', 1, T0); // needs 60 s to refill
    rl.take('fast', 600, T0); // needs 0.1 s to refill
    burst(rl, 'empty', 10, 10); // needs 60 s to refill
    rl.prune(T0 + 1_000);
    expect(bucketCount(rl)).toBe(2);
    expect(rl.take('slow', 1, T0 + 1_000)).toBe(59);
    expect(rl.take('empty', 10, T0 + 1_000)).toBe(5);
    rl.prune(T0 + 120_000);
    expect(bucketCount(rl)).toBe(0);
  });

  it('does nothing on an empty limiter', () => {
    const rl = new RateLimiter();
    rl.prune(T0);
    expect(bucketCount(rl)).toBe(0);
  });
});
