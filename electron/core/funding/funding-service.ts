import { MODES, type Mode } from '../../../shared/domain';
import { MAX_AMOUNT_MICROS, type Micros } from '../../../shared/money';
import type { Actor } from '../../../shared/ledger';
import { notFound, PurserError } from '../errors';
import type { TxContext } from '../db/committer';
import type { WalletDeps } from '../wallet-deps';
import type { KeyAuth } from '../keys/key-repository';
import type { FundingSource } from './funding-repository';

/** What FundingService uses of the wallet: no more (wallet.ts wires it). */
export type FundingServiceDeps = Pick<
  WalletDeps,
  'agents' | 'clock' | 'committer' | 'funding' | 'ledger'
>;

/** Funding sources: the default cash source per mode, deposits, limits, the test faucet. */
export class FundingService {
  constructor(private readonly d: FundingServiceDeps) {}

  /** Creates the default cash source of each mode if it does not exist yet. */
  ensureDefaults(_tx: TxContext): void {
    const { d } = this;
    const now = d.clock.now();
    for (const mode of MODES) {
      if (d.funding.defaultForMode(mode)) continue;
      const source = d.funding.create(
        { kind: 'cash', mode, name: `${mode === 'live' ? 'Cash' : 'Test cash'}`, isDefault: true },
        now,
      );
      d.ledger.append(
        {
          type: 'funding.created',
          actor: 'system',
          mode,
          objectId: source.id,
          data: { kind: 'cash', default: true },
        },
        now,
      );
    }
  }

  /** Adds money to a cash source. `actor` is the owner, or an agent's test key at the faucet. */
  deposit(
    target: { fundingSourceId?: string; mode?: Mode },
    amount: Micros,
    actor: Actor = 'owner',
  ): Promise<FundingSource> {
    return this.d.committer.run(() => this.depositNow(target, amount, actor));
  }

  depositNow(
    target: { fundingSourceId?: string; mode?: Mode },
    amount: Micros,
    actor: Actor,
    agentId?: string,
  ): FundingSource {
    const { d } = this;
    const now = d.clock.now();
    const source = target.fundingSourceId
      ? d.funding.get(target.fundingSourceId)
      : d.funding.defaultForMode(target.mode ?? 'live');
    if (!source)
      throw notFound('funding source', target.fundingSourceId ?? `for ${target.mode} mode`);
    if (source.kind !== 'cash') {
      throw new PurserError(
        'invalid_request',
        `Funding source ${source.id} is on chain; fund it on chain, not by deposit.`,
      );
    }
    if (source.balance + amount > MAX_BALANCE) {
      throw new PurserError(
        'invalid_request',
        'This deposit would take the balance past the largest amount Purser holds.',
        { max_micros: MAX_BALANCE.toString() },
      );
    }
    d.funding.addToBalance(source.id, amount);
    d.ledger.append(
      {
        type: 'funding.deposit',
        actor,
        mode: source.mode,
        agentId: agentId ?? null,
        objectId: source.id,
        amount,
        data: { balance_after: source.balance + amount },
      },
      now,
    );
    const updated = d.funding.get(source.id);
    if (!updated) throw notFound('funding source', source.id);
    return updated;
  }

  setLimit(id: string, limit: FundingSource['limit']): Promise<FundingSource> {
    return this.d.committer.run(() => {
      const { d } = this;
      const source = d.funding.get(id);
      if (!source) throw notFound('funding source', id);
      d.funding.setLimit(id, limit);
      d.ledger.append(
        {
          type: 'funding.updated',
          actor: 'owner',
          mode: source.mode,
          objectId: id,
          amount: limit?.amount ?? null,
          data: { limit_period: limit?.period ?? null, limit_window: limit?.window ?? null },
        },
        d.clock.now(),
      );
      const updated = d.funding.get(id);
      if (!updated) throw notFound('funding source', id);
      return updated;
    });
  }

  /** Test keys only (docs/errors.md); adds test money to the calling agent's funding source. */
  faucet(auth: KeyAuth, amount: Micros): Promise<FundingSource> {
    if (auth.mode !== 'test') {
      return Promise.reject(
        new PurserError(
          'insufficient_scope',
          'The sandbox faucet only accepts test-mode keys (psk_test_…).',
          { mode: auth.mode },
        ),
      );
    }
    return this.d.committer.run(() => {
      const agent = this.d.agents.get(auth.agentId);
      if (!agent) throw new PurserError('invalid_api_key', 'Unknown spending key.');
      return this.depositNow(
        { fundingSourceId: agent.fundingSourceId },
        amount,
        `key:${auth.keyId}`,
        agent.id,
      );
    });
  }

  list(): FundingSource[] {
    return this.d.funding.list();
  }
}

/**
 * A balance may hold many deposits but stays far inside 64 bits: a thousand times the
 * largest single amount.
 */
const MAX_BALANCE: Micros = MAX_AMOUNT_MICROS * 1000n;
