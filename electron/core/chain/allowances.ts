import { getAddress, isAddress, type PrivateKeyAccount } from 'viem';
import { invalidRequest, invalidTransition, notFound } from '../errors';
import type { WalletDeps } from '../wallet-deps';
import type { ChainParts } from './chain-parts';
import type { Address, ChainConfig } from './chain-config';
import { openAccount } from './account-keys';
import { usdcAbi } from './rpc';
import { microsToUnits } from './units';
import type { Allowance } from './allowance-repository';

/** What this part of the chain service uses of the wallet: no more. */
export type AllowancesDeps = Pick<
  WalletDeps,
  'agents' | 'clock' | 'committer' | 'events' | 'ledger' | 'limits' | 'policies' | 'settings'
>;

export interface AllowanceView extends Allowance {
  /** What the chain says is left of it now; null when the RPC could not be reached. */
  left: bigint | null;
  /** What the spender moved out of the owner's account through it, from reconciled logs. */
  spent: bigint;
}

/**
 * ERC-20 allowances from the owner's account to agents that hold their own keys
 * (docs/chain.md): the chain itself refuses a transferFrom beyond them. Every write is
 * simulated first, then sent, then waited for; owner transactions go one at a time.
 */
export class AllowanceService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly d: AllowancesDeps,
    private readonly c: ChainParts,
    private readonly syncChain: (chain: ChainConfig) => Promise<unknown>,
  ) {}

  /** Owner transactions in order, so nonces never collide. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async ownerSigner(): Promise<PrivateKeyAccount> {
    const owner = this.c.accounts.owner();
    if (!owner?.canSign) {
      throw invalidTransition(
        'Allowances are granted from the owner’s account: import or generate one (watch-only accounts cannot sign).',
      );
    }
    return openAccount(this.c.accounts, this.c.sealer(), owner.address);
  }

  private async approve(
    chain: ChainConfig,
    account: PrivateKeyAccount,
    spender: Address,
    units: bigint,
  ) {
    const pub = this.c.rpc.public(chain);
    const { request } = await pub.simulateContract({
      account,
      address: chain.usdc.address,
      abi: usdcAbi,
      functionName: 'approve',
      args: [spender, units],
    });
    const hash = await this.c.rpc.wallet(chain, account).writeContract(request);
    const receipt = await pub.waitForTransactionReceipt({ hash, timeout: 60_000 });
    if (receipt.status !== 'success')
      throw new Error(`approve(${spender}, ${units}) reverted: ${hash}`);
    return hash;
  }

  /**
   * Sets an agent's allowance. A non-zero allowance is first set to zero and the chain
   * synced, so a transferFrom racing the change is seen and counted before the new amount
   * is granted (the ERC-20 approve race).
   */
  set(
    agentId: string,
    input: { spender: string; amountMicros?: bigint; resetEachWindow?: boolean; chain?: string },
  ): Promise<AllowanceView> {
    const agent = this.d.agents.get(agentId);
    if (!agent) throw notFound('agent', agentId);
    if (!isAddress(input.spender, { strict: false }))
      throw invalidRequest('spender must be an address.', { field: 'spender' });
    const spender = getAddress(input.spender);
    const chain = this.c.chains.named(input.chain);
    const policy = this.d.policies.current(agent);
    const micros = input.amountMicros ?? policy.budget;
    const units = microsToUnits(micros, chain.usdc.decimals);
    return this.serial(async () => {
      const account = await this.ownerSigner();
      const pub = this.c.rpc.public(chain);
      const previous = this.c.allowances.get(agentId);
      if (previous && previous.spender !== spender && previous.status === 'active') {
        await this.approve(chain, account, previous.spender, 0n);
      }
      const current = await pub.readContract({
        address: chain.usdc.address,
        abi: usdcAbi,
        functionName: 'allowance',
        args: [account.address, spender],
      });
      let hash: string | null = null;
      if (current > 0n && units > 0n && current !== units) {
        hash = await this.approve(chain, account, spender, 0n);
        await this.syncChain(chain);
      }
      if (current !== units) hash = await this.approve(chain, account, spender, units);
      const now = this.d.clock.now();
      const window = this.d.limits.budget(agent, policy, now, false).window.start;
      await this.d.committer.run((tx) => {
        this.c.allowances.put({
          agentId,
          chain: chain.id,
          spender,
          units,
          status: units > 0n ? 'active' : 'revoked',
          resetEachWindow: input.resetEachWindow ?? previous?.resetEachWindow ?? false,
          windowStart: window,
          txHash: hash,
          updatedAt: now,
        });
        this.d.ledger.append(
          {
            type: 'allowance.set',
            actor: 'owner',
            mode: agent.mode,
            agentId,
            amount: micros,
            status: 'confirmed',
            rail: 'onchain',
            data: { chain: chain.id, spender, units: units.toString(), tx_hash: hash },
          },
          now,
        );
        tx.afterCommit(() =>
          this.d.events.emit('chain', {
            kind: 'allowance_set',
            agentId,
            txHash: hash ?? undefined,
            message: `${agent.name}'s allowance is now ${units} units on ${chain.id}`,
          }),
        );
      });
      return this.view(agentId);
    });
  }

  revoke(agentId: string, because: 'owner' | 'panic' = 'owner'): Promise<AllowanceView> {
    const allowance = this.c.allowances.get(agentId);
    if (!allowance) throw invalidTransition(`No allowance was set for ${agentId}.`);
    const chain = this.c.chains.named(allowance.chain);
    return this.serial(async () => {
      const account = await this.ownerSigner();
      const hash = await this.approve(chain, account, allowance.spender, 0n);
      const now = this.d.clock.now();
      await this.d.committer.run((tx) => {
        this.c.allowances.put({
          ...allowance,
          units: 0n,
          status: 'revoked',
          txHash: hash,
          updatedAt: now,
        });
        this.d.ledger.append(
          {
            type: 'allowance.revoked',
            actor: because === 'panic' ? 'system' : 'owner',
            agentId,
            status: 'confirmed',
            rail: 'onchain',
            data: { chain: chain.id, spender: allowance.spender, tx_hash: hash, because },
          },
          now,
        );
        tx.afterCommit(() =>
          this.d.events.emit('chain', {
            kind: 'allowance_revoked',
            agentId,
            txHash: hash,
            message: `Allowance of ${allowance.spender} revoked on ${chain.id} (${hash})`,
          }),
        );
      });
      return this.view(agentId);
    });
  }

  /** Panic: every active allowance to zero, each confirmed on chain or reported as failed. */
  async revokeAll(): Promise<{ agentId: string; ok: boolean; error?: string }[]> {
    const active = this.c.allowances.list().filter((a) => a.status === 'active');
    const results = [];
    for (const a of active) {
      try {
        await this.revoke(a.agentId, 'panic');
        results.push({ agentId: a.agentId, ok: true });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.d.events.emit('chain', {
          kind: 'allowance_revoke_failed',
          agentId: a.agentId,
          message: `Could not revoke ${a.spender}'s allowance: ${message}`,
        });
        results.push({ agentId: a.agentId, ok: false, error: message });
      }
    }
    return results;
  }

  /** Allowances set to reset at each budget window: set again when a new window has begun. */
  async resetDue(): Promise<void> {
    const now = this.d.clock.now();
    for (const a of this.c.allowances.list()) {
      if (!a.resetEachWindow || a.status !== 'active') continue;
      const agent = this.d.agents.get(a.agentId);
      if (!agent || agent.status !== 'active' || this.d.settings.get().frozen) continue;
      const start = this.d.limits.budget(agent, this.d.policies.current(agent), now, false).window
        .start;
      if (start !== a.windowStart)
        await this.set(a.agentId, { spender: a.spender, chain: a.chain });
    }
  }

  async view(agentId: string): Promise<AllowanceView> {
    const a = this.c.allowances.get(agentId);
    if (!a) throw invalidTransition(`No allowance was set for ${agentId}.`);
    const owner = this.c.accounts.owner();
    const chain = this.c.chains.get(a.chain);
    let left: bigint | null = null;
    if (owner && chain) {
      try {
        left = await this.c.rpc.public(chain).readContract({
          address: chain.usdc.address,
          abi: usdcAbi,
          functionName: 'allowance',
          args: [owner.address, a.spender],
        });
      } catch {
        left = null;
      }
    }
    const spent = owner
      ? this.c.transfers.spentBy(owner.address, a.spender).reduce((sum, t) => sum + t.units, 0n)
      : 0n;
    return { ...a, left, spent };
  }
}
