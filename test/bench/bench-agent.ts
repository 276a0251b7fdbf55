import type { KeyAuth } from '../../electron/core/keys/key-repository';
import type { Wallet } from '../../electron/core/wallet';
import { agentCommand } from '../helpers/commands';

/**
 * An in-process benchmark's agent: live, a budget and rate no run reaches, its funding
 * source filled, and one key, authenticated (decision-stages.ts, wal-pages.ts).
 */
export async function benchAgent(wallet: Wallet, name: string): Promise<KeyAuth> {
  const { agent } = await wallet.agents.create(
    agentCommand({
      name,
      mode: 'live',
      budget_cents: 100_000_000_000,
      rate_limit_per_minute: 1_000_000,
    }),
  );
  await wallet.funding.deposit({ mode: 'live' }, 10n ** 17n);
  const { plaintext } = await wallet.keys.issue(agent.id, {});
  return wallet.keys.authenticate(plaintext);
}
