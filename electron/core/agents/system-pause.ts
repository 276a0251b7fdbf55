import type { TxContext } from '../db/committer';
import type { WalletDeps } from '../wallet-deps';
import type { Agent } from './agent-repository';

/**
 * Purser pauses an agent by itself (over budget after a receipt, an on-chain transfer that
 * matched nothing): the status, its ledger entry and the owner's alert, in the caller's
 * write job. An agent that is not active is left as it is.
 */
export function pauseBySystem(
  d: Pick<WalletDeps, 'agents' | 'ledger' | 'events'>,
  tx: TxContext,
  agent: Agent,
  because: string,
  why: string,
  data: Record<string, unknown>,
  now: number,
): void {
  if (agent.status !== 'active') return;
  d.agents.setStatus(agent.id, 'paused', now);
  d.ledger.append(
    {
      type: 'agent.status_changed',
      actor: 'system',
      mode: agent.mode,
      agentId: agent.id,
      objectId: agent.id,
      status: 'paused',
      data: { from: agent.status, to: 'paused', because, ...data },
    },
    now,
  );
  tx.afterCommit(() =>
    d.events.emit('alert', {
      kind: 'agent_paused',
      agentId: agent.id,
      objectId: agent.id,
      message: `${agent.name} was paused: ${why}`,
    }),
  );
}
