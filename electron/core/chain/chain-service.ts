import { getAddress, isAddress } from 'viem';
import type { BudgetService } from '../budgets/budget-service';
import { invalidRequest, invalidTransition, notFound } from '../errors';
import type { SpendService } from '../spend/spend-service';
import type { WalletDeps, WriterDeps } from '../wallet-deps';
import type { ChainName } from '../../../shared/domain';
import { formatUsd } from '../../../shared/money';
import type { ChainAccount } from './account-repository';
import { openAccount, sealNewKey, watchOnly } from './account-keys';
import { AllowanceService, type AllowancesDeps } from './allowances';
import { CHAIN_PRESETS, type Address, type ChainConfig } from './chain-config';
import type { ChainParts } from './chain-parts';
import { Reconciler, type ReconcilerDeps, type SyncReport } from './reconciler';
import { RpcPool, usdcAbi } from './rpc';
import type { Sealer } from './sealer';
import { X402Service, type X402ServiceDeps } from '../rails/x402/x402-service';
import { x402Rail } from '../rails/x402/x402-settlement';
import { payoutRail } from '../rails/payouts/payout-rail';
import { MppService } from '../rails/mpp/mpp-service';
import { PayoutService, type PayoutServiceDeps } from '../rails/payouts/payout-service';
import { RecipientService } from '../rails/payouts/recipients';
import { microsToUnits } from './units';
import { usdcBalancesOf } from './usdc-balances';
import { fundFromWallet } from './wallet-funding';

/**
 * What the chain service uses of the wallet: its own few repositories, and whatever the
 * parts it builds (reconciler, x402, allowances) declare they use, so that a part's needs
 * cannot drift from this list.
 */
export type ChainServiceDeps = Pick<
  WalletDeps,
  | WriterDeps
  | 'allowances'
  | 'chainAccounts'
  | 'chains'
  | 'chainTransfers'
  | 'funding'
  | 'settings'
  | 'x402Payments'
  | 'payouts'
  | 'recipients'
> &
  ReconcilerDeps &
  PayoutServiceDeps &
  X402ServiceDeps &
  AllowancesDeps;

export interface ChainInput {
  id: ChainName;
  rpcUrl: string;
  /** Required for the local chain; for Base and Base Sepolia the published USDC is the default. */
  chainId?: number;
  usdc?: Partial<ChainConfig['usdc']>;
}

export interface AccountView extends ChainAccount {
  /** USDC units per configured chain; null where the RPC could not be reached. */
  balances: { chain: string; units: bigint | null; micros: bigint | null }[];
}

/**
 * Hard enforcement on chain (docs/chain.md): the chain config, the owner's account and the
 * agents' Purser-held wallets, x402 signing, allowances, and the reconciler that follows the
 * chain into the ledger. Everything that talks to an RPC happens outside write jobs.
 */
export class ChainService {
  readonly x402: X402Service;
  readonly mpp: MppService;
  readonly payouts: PayoutService;
  readonly recipients: RecipientService;
  readonly allowances: AllowanceService;
  private readonly reconciler: Reconciler;
  private readonly parts: ChainParts;
  private sealer: Sealer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<SyncReport[]> | undefined;
  private readonly lastFailure = new Map<string, { message: string; at: number }>();

  constructor(
    private readonly d: ChainServiceDeps,
    spend: SpendService,
    budgets: BudgetService,
  ) {
    this.parts = {
      chains: d.chains,
      accounts: d.chainAccounts,
      transfers: d.chainTransfers,
      allowances: d.allowances,
      rpc: new RpcPool(),
      sealer: () => this.sealer,
    };
    const x402Parts = { ...this.parts, payments: d.x402Payments };
    const payoutParts = { ...this.parts, payouts: d.payouts, recipients: d.recipients };
    this.reconciler = new Reconciler(d, this.parts, [
      x402Rail(d, x402Parts, budgets),
      payoutRail(d, payoutParts, budgets, () => this.payouts.sender),
    ]);
    this.x402 = new X402Service(d, x402Parts, spend);
    this.mpp = new MppService(d, x402Parts, spend);
    this.payouts = new PayoutService(d, payoutParts, spend, budgets, (chain) =>
      this.reconciler.sync(chain),
    );
    this.recipients = new RecipientService(d);
    this.allowances = new AllowanceService(d, this.parts, (chain) => this.reconciler.sync(chain));
    // Panic revokes every allowance on chain; each revoke is announced as it is confirmed.
    let frozen = d.settings.get().frozen;
    d.events.on('settings', (settings) => {
      if (settings.frozen && !frozen) void this.allowances.revokeAll();
      frozen = settings.frozen;
    });
  }

  /** Unlocks the sealed keys: a passphrase sealer headless, safe storage on the desktop. */
  async unlock(sealer: Sealer): Promise<void> {
    const sealed = this.parts.accounts
      .list()
      .find((a) => a.canSign && a.sealedWith === sealer.kind);
    // Opening one key proves the sealer is the right one before anything relies on it.
    if (sealed) await openAccount(this.parts.accounts, sealer, sealed.address);
    this.sealer = sealer;
    // Payouts that waited for the keys (awaiting_signature) go on now.
    void this.payouts.tick();
  }

  get unlocked(): boolean {
    return this.sealer !== undefined;
  }

  private requireSealer(): Sealer {
    if (!this.sealer) {
      throw invalidTransition(
        'Purser’s key store is locked: start `purser serve` with PURSER_PASSPHRASE (or --passphrase-file), or use the desktop app.',
        { reason: 'keys_locked' },
      );
    }
    return this.sealer;
  }

  chains(): ChainConfig[] {
    return this.parts.chains.list();
  }

  /**
   * Adds or changes a chain after checking it against the chain itself: the RPC's chain
   * id, the token's decimals and (where the token says, ERC-5267) its EIP-712 domain.
   */
  async configure(input: ChainInput): Promise<ChainConfig> {
    const preset = input.id === 'local' ? undefined : CHAIN_PRESETS[input.id];
    const usdc = { ...preset?.usdc, ...input.usdc };
    const chainId = input.chainId ?? preset?.chainId;
    if (chainId === undefined)
      throw invalidRequest('chain_id is required for the local chain.', { field: 'chain_id' });
    if (!usdc.address || !isAddress(usdc.address, { strict: false }))
      throw invalidRequest('usdc.address is required and must be an address.', {
        field: 'usdc.address',
      });
    if (usdc.decimals === undefined || !usdc.name || !usdc.version)
      throw invalidRequest(
        'usdc.decimals, usdc.name and usdc.version are required for the local chain.',
        { field: 'usdc' },
      );
    let url: URL;
    try {
      url = new URL(input.rpcUrl);
    } catch {
      throw invalidRequest('rpc_url must be an http(s) URL.', { field: 'rpc_url' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw invalidRequest('rpc_url must be an http(s) URL.', { field: 'rpc_url' });
    const config: ChainConfig = {
      id: input.id,
      chainId,
      rpcUrl: url.href,
      usdc: {
        address: getAddress(usdc.address),
        decimals: usdc.decimals,
        name: usdc.name,
        version: usdc.version,
      },
      syncedBlock: null,
    };
    const client = this.parts.rpc.public(config);
    const [actualId, decimals, block] = await Promise.all([
      client.getChainId(),
      client.readContract({ address: config.usdc.address, abi: usdcAbi, functionName: 'decimals' }),
      client.getBlockNumber(),
    ]).catch((error: unknown) => {
      throw invalidTransition(
        `Could not read ${input.id} at ${url.href}: ${String(error instanceof Error ? error.message.split('\n')[0] : error)}`,
      );
    });
    if (actualId !== chainId)
      throw invalidTransition(`The RPC at ${url.href} is chain ${actualId}, not ${chainId}.`);
    if (decimals !== config.usdc.decimals)
      throw invalidTransition(
        `The token at ${config.usdc.address} has ${decimals} decimals, not ${config.usdc.decimals}.`,
      );
    const domain = await client
      .getEip712Domain({ address: config.usdc.address })
      .then((r) => r.domain)
      .catch(() => undefined);
    if (domain && (domain.name !== config.usdc.name || domain.version !== config.usdc.version)) {
      throw invalidTransition(
        `The token's EIP-712 domain is (${domain.name}, ${domain.version}), not (${config.usdc.name}, ${config.usdc.version}).`,
      );
    }
    config.syncedBlock = Number(block);
    await this.d.committer.run(() => {
      const now = this.d.clock.now();
      this.parts.chains.upsert(config, now);
      this.d.ledger.append(
        {
          type: 'chain.configured',
          actor: 'owner',
          status: 'configured',
          data: { chain: config.id, chain_id: chainId, rpc_url: config.rpcUrl, usdc: config.usdc },
        },
        now,
      );
    });
    return this.parts.chains.get(config.id) as ChainConfig;
  }

  /** The owner's account: a key to import, a new one, or an address to watch. */
  async setOwnerAccount(input: {
    privateKey?: string;
    generate?: boolean;
    address?: string;
  }): Promise<ChainAccount> {
    const modes = [
      input.privateKey !== undefined,
      input.generate === true,
      input.address !== undefined,
    ];
    if (modes.filter(Boolean).length !== 1)
      throw invalidRequest('Give exactly one of private_key, generate or address.', {
        field: 'account',
      });
    const account =
      input.address !== undefined
        ? watchOnly(input.address)
        : await sealNewKey(this.requireSealer(), input.privateKey);
    if (this.parts.allowances.list().some((a) => a.status === 'active'))
      throw invalidTransition(
        'Revoke the allowances granted from the current owner account before replacing it.',
      );
    return this.d.committer.run(() => {
      const now = this.d.clock.now();
      this.parts.accounts.dropOwner();
      const added = this.parts.accounts.insert('owner', null, account, now);
      this.d.ledger.append(
        {
          type: 'chain.account_added',
          actor: 'owner',
          objectId: added.id,
          status: added.canSign ? 'signing' : 'watch_only',
          data: { role: 'owner', address: added.address },
        },
        now,
      );
      return added;
    });
  }

  /** A Purser-held wallet for an agent: generated here, sealed, and never shown to anyone. */
  async createAgentWallet(agentId: string): Promise<ChainAccount> {
    const agent = this.d.agents.get(agentId);
    if (!agent) throw notFound('agent', agentId);
    const existing = this.parts.accounts.ofAgent(agentId);
    if (existing) return existing;
    const account = await sealNewKey(this.requireSealer());
    return this.d.committer.run((tx) => {
      const now = this.d.clock.now();
      const added = this.parts.accounts.insert('agent', agentId, account, now);
      fundFromWallet(this.d, agent, added.address, now);
      // Every open window (and the tray) hears of it, as of every change on chain.
      tx.afterCommit(() =>
        this.d.events.emit('chain', {
          kind: 'wallet_created',
          agentId,
          message: `${agent.name} now pays from its Purser-held wallet ${added.address}`,
        }),
      );
      this.d.ledger.append(
        {
          type: 'chain.account_added',
          actor: 'owner',
          mode: agent.mode,
          agentId,
          objectId: added.id,
          status: 'signing',
          data: { role: 'agent', address: added.address },
        },
        now,
      );
      return added;
    });
  }

  walletOf(agentId: string): ChainAccount | undefined {
    return this.parts.accounts.ofAgent(agentId);
  }

  /** Moves USDC from the owner's account to an agent's wallet; the reconciler ledgers it. */
  async fundAgent(agentId: string, micros: bigint, chainName?: string): Promise<`0x${string}`> {
    const wallet = this.parts.accounts.ofAgent(agentId);
    if (!wallet) throw invalidTransition(`${agentId} has no Purser-held wallet.`);
    const owner = this.parts.accounts.owner();
    if (!owner?.canSign)
      throw invalidTransition('Funding is sent from the owner’s account, which must hold a key.');
    const chain = this.chainNamed(chainName);
    const account = await openAccount(this.parts.accounts, this.requireSealer(), owner.address);
    const pub = this.parts.rpc.public(chain);
    const { request } = await pub.simulateContract({
      account,
      address: chain.usdc.address,
      abi: usdcAbi,
      functionName: 'transfer',
      args: [wallet.address, microsToUnits(micros, chain.usdc.decimals)],
    });
    const hash = await this.parts.rpc.wallet(chain, account).writeContract(request);
    const receipt = await pub.waitForTransactionReceipt({ hash, timeout: 60_000 });
    if (receipt.status !== 'success') throw invalidTransition(`The transfer reverted: ${hash}`);
    await this.reconciler.sync(chain);
    this.d.events.emit('chain', {
      kind: 'wallet_funded',
      agentId,
      txHash: hash,
      message: `Sent ${formatUsd(micros)} of USDC to ${wallet.address} on ${chain.id}`,
    });
    return hash;
  }

  chainNamed(name?: string): ChainConfig {
    return this.parts.chains.named(name);
  }

  balanceOf(address: Address): Promise<AccountView['balances']> {
    return usdcBalancesOf(this.parts, address);
  }

  async accounts(): Promise<AccountView[]> {
    return Promise.all(
      this.parts.accounts
        .list()
        .map(async (a) => ({ ...a, balances: await this.balanceOf(a.address) })),
    );
  }

  allowanceList() {
    return Promise.all(this.parts.allowances.list().map((a) => this.allowances.view(a.agentId)));
  }

  /** Reconciles every configured chain once; concurrent callers share one run. */
  sync(): Promise<SyncReport[]> {
    this.syncing ??= (async () => {
      const reports: SyncReport[] = [];
      for (const chain of this.parts.chains.list()) {
        try {
          reports.push(await this.reconciler.sync(chain));
        } catch (error) {
          const message = `Could not follow ${chain.id}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
          // Said once a minute, or when it changes, not every few seconds while the RPC is down.
          const last = this.lastFailure.get(chain.id);
          const now = this.d.clock.now();
          if (!last || last.message !== message || now - last.at >= 60_000) {
            this.lastFailure.set(chain.id, { message, at: now });
            this.d.events.emit('chain', { kind: 'sync_failed', agentId: null, message });
          }
        }
      }
      if (this.sealer) await this.allowances.resetDue().catch(() => undefined);
      // Payouts waiting to be signed, sent or confirmed go on; not awaited here, since a
      // payout's confirmation runs the reconciler itself.
      void this.payouts.tick();
      return reports;
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  startWatching(intervalMs: number): void {
    this.stopWatching();
    this.timer = setInterval(() => void this.sync(), intervalMs);
    this.timer.unref();
  }

  async stopWatching(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.syncing?.catch(() => undefined);
  }
}
