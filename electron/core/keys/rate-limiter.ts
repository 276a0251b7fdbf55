import { MINUTE_MS } from '../clock';

interface Bucket {
  tokens: number;
  at: number;
  perMinute: number;
}

/**
 * A token bucket per key: `perMinute` requests a minute, with bursts up to `perMinute`.
 * Kept in memory on purpose: it protects the process from a runaway loop; it is not a
 * budget, so it need not survive a restart.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one token; returns 0 if allowed, else the seconds to wait before retrying. */
  take(keyId: string, perMinute: number, now: number): number {
    const rate = perMinute / MINUTE_MS;
    const bucket = this.buckets.get(keyId) ?? { tokens: perMinute, at: now, perMinute };
    bucket.perMinute = perMinute;
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(perMinute, bucket.tokens + elapsed * rate);
    bucket.at = now;
    this.buckets.set(keyId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }

  /** Drops buckets that have refilled completely; they carry no information. */
  prune(now: number): void {
    for (const [keyId, b] of this.buckets) {
      if (b.tokens + (now - b.at) * (b.perMinute / MINUTE_MS) >= b.perMinute)
        this.buckets.delete(keyId);
    }
  }
}
