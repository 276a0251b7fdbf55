import { PurserError } from '../errors';
import type { WalletDeps } from '../wallet-deps';
import type { KeyAuth } from './key-repository';
import { agentOf } from '../agents/agent-of';

/**
 * Step 4 (docs/decision-order.md): a key may make `rate_limit_per_minute` requests a minute.
 * Creating routes call this after their idempotency lookup (a replay is not a new
 * request); read routes call it first thing.
 */
export function enforceRateLimit(
  d: Pick<WalletDeps, 'agents' | 'policies' | 'rateLimiter'>,
  auth: KeyAuth,
  now: number,
): void {
  const perMinute = d.policies.current(agentOf(d.agents, auth)).rateLimitPerMinute;
  const retryAfter = d.rateLimiter.take(auth.keyId, perMinute, now);
  if (retryAfter > 0) {
    throw new PurserError(
      'rate_limited',
      `Rate limit exceeded (${perMinute} requests a minute for this key).`,
      {
        retry_after_seconds: retryAfter,
        limit_per_minute: perMinute,
      },
    );
  }
}
