import type { Scope } from '../../../shared/domain';
import { invalidTransition, notFound } from '../errors';
import { announce } from '../agents/agent-service';
import type { WalletDeps } from '../wallet-deps';
import type { ApiKey, KeyAuth } from './key-repository';

/** What KeyService uses of the wallet: no more (wallet.ts wires it). */
export type KeyServiceDeps = Pick<
  WalletDeps,
  'agents' | 'clock' | 'committer' | 'events' | 'keys' | 'ledger'
>;

/** The owner's operations on spending keys. Issuing and revoking are ledgered. */
export class KeyService {
  constructor(private readonly d: KeyServiceDeps) {}

  issue(
    agentId: string,
    options: { scopes?: readonly Scope[]; label?: string | null; expiresAt?: number | null },
  ): Promise<{ key: ApiKey; plaintext: string }> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const agent = d.agents.get(agentId);
      if (!agent) throw notFound('agent', agentId);
      if (agent.status === 'revoked')
        throw invalidTransition(`Agent ${agentId} is revoked; it cannot get new keys.`);
      if (options.expiresAt != null && options.expiresAt <= now) {
        throw invalidTransition('A key cannot expire in the past.', {
          expires_at: options.expiresAt,
        });
      }
      const issued = d.keys.issue(
        {
          agentId,
          mode: agent.mode,
          scopes: options.scopes ?? ['spend.read', 'spend.write'],
          label: options.label ?? null,
          expiresAt: options.expiresAt ?? null,
        },
        now,
      );
      d.ledger.append(
        {
          type: 'key.issued',
          actor: 'owner',
          mode: agent.mode,
          agentId,
          objectId: issued.key.id,
          data: {
            prefix: issued.key.prefix,
            scopes: issued.key.scopes,
            expires_at: issued.key.expiresAt,
          },
        },
        now,
      );
      announce(d, tx, agentId, 'keys');
      return issued;
    });
  }

  revoke(keyId: string): Promise<ApiKey> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const key = d.keys.get(keyId);
      if (!key) throw notFound('key', keyId);
      if (d.keys.revoke(keyId, now)) {
        d.ledger.append(
          {
            type: 'key.revoked',
            actor: 'owner',
            mode: key.mode,
            agentId: key.agentId,
            objectId: keyId,
          },
          now,
        );
        announce(d, tx, key.agentId, 'keys');
      }
      const revoked = d.keys.get(keyId);
      if (!revoked) throw notFound('key', keyId);
      return revoked;
    });
  }

  /** Step 1 of docs/decision-order.md: the bearer key, checked at this instant. */
  authenticate(plaintext: string | undefined): KeyAuth {
    return this.d.keys.authenticate(plaintext, this.d.clock.now());
  }

  list(agentId: string): ApiKey[] {
    if (!this.d.agents.get(agentId)) throw notFound('agent', agentId);
    return this.d.keys.listForAgent(agentId);
  }
}
