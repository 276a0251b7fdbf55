import { getAddress, parseAbiItem } from 'viem';
import type { Agent } from '../agents/agent-repository';
import { pauseBySystem } from '../agents/system-pause';
import type { TxContext } from '../db/committer';
import { countUsage } from '../spend/usage';
import { raiseBudgetAlerts } from '../budgets/budget-alerts';
import type { WalletDeps, WriterDeps } from '../wallet-deps';
import type { ChainParts } from './chain-parts';
import type { Address, ChainConfig } from './chain-config';
import type { Transfer } from './transfer-repository';
import type { OnChainRail } from './on-chain-rail';
import { unitsToMicros } from './units';

/** What this part of the chain service uses of the wallet: no more. */
export type ReconcilerDeps = Pick<
  WalletDeps,
  | WriterDeps
  | 'budgetAlerts'
  | 'funding'
  | 'limits'
  | 'merchants'
  | 'meters'
  | 'policies'
  | 'spends'
>;

const TRANSFER = parseAbiItem(
  'event Transfer(address indexed from, address indexed to, uint256 value)',
);
const AUTHORIZATION_USED = parseAbiItem(
  'event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)',
);
/** Blocks per getLogs call: public RPCs cap the range (Base's at 2,000 or 10,000). */
const LOG_RANGE = 2000;

export interface SyncReport {
  chain: string;
  toBlock: number;
  transfers: number;
  settled: number;
  released: number;
  unmatched: number;
}

/**
 * Follows the chain into the ledger (docs/chain.md): every Transfer out of the owner's
 * account or an agent wallet becomes a ledger entry, from the last synced block on (so a
 * restart backfills). A transfer that settles an x402 authorization (matched by its
 * EIP-3009 nonce) or an approved request is matched; any other is counted, flagged, and
 * its agent paused. Reservations that can no longer be used are released.
 */
export class Reconciler {
  constructor(
    private readonly d: ReconcilerDeps,
    private readonly c: ChainParts,
    /** The rails that pay from agent wallets: each matches its own transfers. */
    private readonly rails: readonly OnChainRail[],
  ) {}

  async sync(chain: ChainConfig): Promise<SyncReport> {
    const client = this.c.rpc.public(chain);
    const latest = Number(await client.getBlockNumber());
    const report: SyncReport = {
      chain: chain.id,
      toBlock: latest,
      transfers: 0,
      settled: 0,
      released: 0,
      unmatched: 0,
    };
    let from = (this.c.chains.get(chain.id)?.syncedBlock ?? latest) + 1;
    const accounts = this.c.accounts.list();
    const watched = accounts.map((a) => a.address);
    const wallets = accounts.filter((a) => a.role === 'agent').map((a) => a.address);
    while (from <= latest) {
      const to = Math.min(from + LOG_RANGE - 1, latest);
      const range = { fromBlock: BigInt(from), toBlock: BigInt(to) };
      // An empty `args` list would match every address: ask only when there is one.
      const transferLogs: Awaited<ReturnType<typeof client.getLogs<typeof TRANSFER>>> =
        watched.length
          ? await client.getLogs({
              address: chain.usdc.address,
              event: TRANSFER,
              args: { from: watched },
              ...range,
            })
          : [];
      const authLogs = wallets.length
        ? await client.getLogs({
            address: chain.usdc.address,
            event: AUTHORIZATION_USED,
            args: { authorizer: wallets },
            ...range,
          })
        : [];
      // Deposits into agent wallets from anywhere else: the owner funding them another way.
      const depositLogs = wallets.length
        ? (
            await client.getLogs({
              address: chain.usdc.address,
              event: TRANSFER,
              args: { to: wallets },
              ...range,
            })
          ).filter((l) => !watched.includes(getAddress(l.args.from as Address)))
        : [];
      transferLogs.push(...depositLogs);
      const senders = new Map<string, Address>();
      const noncesByTx = new Map<string, string[]>();
      for (const hash of new Set(transferLogs.map((l) => l.transactionHash))) {
        const sent = await client.getTransaction({ hash });
        senders.set(hash, getAddress(sent.from));
        // Some rails' nonces show only in the call itself (x402 upto's Permit2 nonce).
        const inCall = this.rails.flatMap((rail) => rail.noncesIn?.(sent) ?? []);
        if (inCall.length > 0) noncesByTx.set(hash, inCall);
      }
      const transfers: Transfer[] = transferLogs.map((l) => ({
        chain: chain.id,
        txHash: l.transactionHash,
        logIndex: l.logIndex,
        block: Number(l.blockNumber),
        from: getAddress(l.args.from as Address),
        to: getAddress(l.args.to as Address),
        sender: senders.get(l.transactionHash) as Address,
        units: l.args.value as bigint,
        agentId: null,
        matched: null,
      }));
      for (const l of authLogs) {
        const list = noncesByTx.get(l.transactionHash) ?? [];
        list.push(String(l.args.nonce).toLowerCase());
        noncesByTx.set(l.transactionHash, list);
      }
      await this.d.committer.run((tx) => {
        for (const t of transfers) {
          const outcome = this.apply(tx, chain, t, noncesByTx.get(t.txHash) ?? []);
          if (outcome === undefined) continue;
          report.transfers += 1;
          if (outcome === 'settled') report.settled += 1;
          if (outcome === 'unmatched') report.unmatched += 1;
        }
        this.c.chains.setSynced(chain.id, to);
      });
      from = to + 1;
    }
    for (const rail of this.rails) report.released += await rail.releaseLapsed(chain);
    return report;
  }

  /** One Transfer into the ledger; undefined if it was reconciled before. */
  private apply(
    tx: TxContext,
    chain: ChainConfig,
    t: Transfer,
    nonces: string[],
  ): 'settled' | 'matched' | 'owner' | 'unmatched' | undefined {
    const { c, d } = this;
    const now = d.clock.now();
    const micros = unitsToMicros(t.units, chain.usdc.decimals);
    const source = c.accounts.byAddress(t.from);
    const owner = c.accounts.owner();
    const data = {
      tx_hash: t.txHash,
      log_index: t.logIndex,
      block: t.block,
      chain: chain.id,
      from: t.from,
      to: t.to,
      sender: t.sender,
      units: t.units.toString(),
    };

    if (source?.role === 'agent' && source.agentId) {
      const agent = d.agents.get(source.agentId) as Agent;
      for (const rail of this.rails) {
        const outcome = rail.settle(tx, chain, agent, t, nonces, data);
        if (outcome === 'settled') return outcome;
        if (outcome === 'reconciled') return undefined;
      }
      return this.unmatched(tx, agent, t, micros, data);
    }

    const depositTo = source ? undefined : c.accounts.byAddress(t.to);
    if (depositTo?.agentId) {
      if (!c.transfers.insert({ ...t, agentId: depositTo.agentId, matched: 'deposit' }))
        return undefined;
      this.credit(t.to, micros);
      d.ledger.append(
        {
          type: 'chain.funded',
          actor: 'system',
          agentId: depositTo.agentId,
          amount: micros,
          status: 'confirmed',
          merchant: t.from,
          rail: 'onchain',
          data,
        },
        now,
      );
      return 'owner';
    }

    if (owner && source?.id === owner.id) {
      if (t.sender === owner.address) {
        // The owner's own transfer: funding an agent wallet, or anything else they do.
        const wallet = c.accounts.byAddress(t.to);
        if (!c.transfers.insert({ ...t, agentId: wallet?.agentId ?? null, matched: 'owner' }))
          return undefined;
        if (wallet?.agentId) this.credit(t.to, micros);
        d.ledger.append(
          {
            type: wallet?.agentId ? 'chain.funded' : 'chain.transfer',
            actor: 'owner',
            agentId: wallet?.agentId ?? null,
            amount: micros,
            status: 'confirmed',
            merchant: t.to,
            rail: 'onchain',
            data,
          },
          now,
        );
        return 'owner';
      }
      const allowance = c.allowances.bySpender(t.sender);
      const agent = allowance ? d.agents.get(allowance.agentId) : undefined;
      if (!agent) return this.unmatched(tx, undefined, t, micros, data);
      const requestId = c.transfers.openApprovedSpend(agent.id, micros);
      if (!requestId) return this.unmatched(tx, agent, t, micros, data);
      if (!c.transfers.insert({ ...t, agentId: agent.id, matched: requestId })) return undefined;
      d.ledger.append(
        {
          type: 'chain.transfer',
          actor: 'system',
          mode: agent.mode,
          agentId: agent.id,
          objectId: requestId,
          amount: micros,
          status: 'matched',
          merchant: t.to,
          rail: 'onchain',
          data: { ...data, spend_request_id: requestId },
        },
        now,
      );
      return 'matched';
    }
    return undefined;
  }

  /**
   * A confirmed deposit into an agent's wallet funds the agent (its `onchain` source, made
   * with the wallet): money the chain shows arrived, never money an agent says it has.
   */
  private credit(wallet: Address, micros: bigint): void {
    const source = this.d.funding.onchainFor(wallet);
    if (source) this.d.funding.addToBalance(source.id, micros);
  }

  /**
   * Money left on chain that no approved request accounts for: it counts (it is gone),
   * the owner hears of it, and the agent is paused until the owner looks.
   */
  private unmatched(
    tx: TxContext,
    agent: Agent | undefined,
    t: Transfer,
    micros: bigint,
    data: Record<string, unknown>,
  ): 'unmatched' | undefined {
    const { d, c } = this;
    const now = d.clock.now();
    if (!c.transfers.insert({ ...t, agentId: agent?.id ?? null, matched: null })) return undefined;
    const origin = `${t.txHash}:${t.logIndex}`;
    const usageId = agent ? countUsage(d, agent, origin, micros, t.to, now) : null;
    d.ledger.append(
      {
        type: 'chain.transfer_unmatched',
        actor: 'system',
        mode: agent?.mode ?? null,
        agentId: agent?.id ?? null,
        amount: micros,
        counted: agent ? micros : 0n,
        status: 'flagged',
        merchant: t.to,
        rail: 'onchain',
        data: { ...data, usage_id: usageId },
      },
      now,
    );
    if (agent) {
      const policy = d.policies.current(agent);
      const after = d.limits.budget(agent, policy, now, true);
      raiseBudgetAlerts(d, tx, agent, policy, after, micros, origin, now);
    }
    const who = agent ? agent.name : `an unknown sender (${t.sender})`;
    const message = `An on-chain transfer by ${who} matches no approved request: ${t.txHash}`;
    tx.afterCommit(() =>
      d.events.emit('alert', {
        kind: 'unmatched_transfer',
        agentId: agent?.id ?? '',
        objectId: t.txHash,
        message,
      }),
    );
    if (agent) {
      pauseBySystem(
        d,
        tx,
        agent,
        'unmatched_onchain_transfer',
        'an on-chain transfer matched no approved request',
        { tx_hash: t.txHash },
        now,
      );
    }
    return 'unmatched';
  }
}
