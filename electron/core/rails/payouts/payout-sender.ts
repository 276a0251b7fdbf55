import { randomBytes } from 'node:crypto';
import { keccak256, parseSignature, toHex, type PrivateKeyAccount } from 'viem';
import type { BudgetService } from '../../budgets/budget-service';
import type { Agent } from '../../agents/agent-repository';
import type { ChainConfig } from '../../chain/chain-config';
import { openAccount } from '../../chain/account-keys';
import { usdcAbi, viemChain } from '../../chain/rpc';
import { crashPoint } from '../../crash-points';
import { PurserError } from '../../errors';
import { recount, type X402ReleaseDeps } from '../x402/x402-release';
import type { WalletDeps } from '../../wallet-deps';
import type { PayoutParts } from './payout-parts';
import type { PayoutIntent } from './payout-repository';
import {
  CANCEL_TYPES,
  domainOf,
  isTransient,
  messageOf,
  TRANSFER_TYPES,
  transferData,
} from './payout-eip3009';

/**
 * How long a payout's authorization may be used on chain. Short, because a payout that
 * failed gives its money back only once the chain says it can no longer land: at this
 * deadline at the latest, sooner when Purser cancels the authorization (docs/payouts.md).
 */
export const PAYOUT_VALID_SECONDS = 600;
/** How long one attempt waits for a receipt before leaving it to the next sweep. */
const RECEIPT_WAIT_MS = 30_000;

export type PayoutSenderDeps = X402ReleaseDeps & Pick<WalletDeps, 'settings'>;

/**
 * Carries an approved payout to the chain (docs/payouts.md), one step at a time, each step
 * written before the next leaves Purser:
 *
 * 1. the agent's wallet signs an EIP-3009 authorization; its nonce and signature are stored;
 * 2. the transfer is simulated; if it cannot succeed, nothing was ever sent, so the payout
 *    fails and its reservation is released at once;
 * 3. the owner's account signs the transaction that carries it; the raw transaction and its
 *    hash are stored (`submitted`), then it is sent;
 * 4. its receipt decides: success is matched by the reconciler (the transfer that used the
 *    nonce completes the payout); a revert has the agent's wallet cancel the authorization
 *    on chain, and once the chain shows it cancelled (or expired unused) the payout fails
 *    and gives its money back.
 *
 * A restart resumes from whatever was stored: an unsent authorization is sent, a stored
 * transaction is sent again (the same hash), never a second payment: the nonce is single-use.
 */
export class PayoutSender {
  /** Sends one at a time: the owner's account numbers its transactions. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly d: PayoutSenderDeps,
    private readonly c: PayoutParts,
    private readonly budgets: Pick<BudgetService, 'draw'>,
    private readonly sync: (chain: ChainConfig) => Promise<unknown>,
    /** Wakes whoever waits on the payout (`?wait=`); the rail calls it too. */
    readonly changed: (id: string) => void,
  ) {}

  /** The last problem told of each payout: said once, not on every sweep while it lasts. */
  private readonly told = new Map<string, string>();

  /** Moves a payout on as far as it can go now. Never throws: what fails is retried later. */
  advance(id: string): Promise<void> {
    const step = this.queue.then(() => this.submit(id));
    this.queue = step.catch(() => undefined);
    return step
      .then(() => this.confirm(id))
      .then(() => void this.told.delete(id))
      .catch((error: unknown) => {
        const message = `Payout ${id} could not go on yet: ${messageOf(error)}`;
        if (this.told.get(id) === message) return;
        this.told.set(id, message);
        this.d.events.emit('chain', {
          kind: 'sync_failed',
          agentId: this.c.payouts.get(id)?.agentId ?? null,
          message,
        });
      });
  }

  /** Steps 1–3, for a payout that is approved and not yet sent. */
  private async submit(id: string): Promise<void> {
    const { c } = this;
    let p = c.payouts.get(id);
    if (!p || (p.status !== 'approved' && p.status !== 'awaiting_signature')) return;
    const chain = c.chains.get(p.chain);
    if (!chain) {
      await this.failAndRelease(p, `chain ${p.chain} is no longer configured; nothing was sent`);
      return;
    }
    if (await this.stopped(p)) return;
    const keys = await this.openKeys(p);
    if (!keys) return;
    const { payer, submitter } = keys;

    if (p.nonce === null || p.validBefore === null || p.signature === null) {
      const block = await c.rpc.public(chain).getBlock({ blockTag: 'latest' });
      const validBefore = Number(block.timestamp) + PAYOUT_VALID_SECONDS;
      const nonce = toHex(randomBytes(32));
      const signature = await payer.signTypedData({
        domain: domainOf(chain),
        types: TRANSFER_TYPES,
        primaryType: 'TransferWithAuthorization',
        message: {
          from: p.payer,
          to: p.address,
          value: p.units,
          validAfter: 0n,
          validBefore: BigInt(validBefore),
          nonce,
        },
      });
      p = await this.d.committer.run(() => {
        const now = this.d.clock.now();
        const current = c.payouts.get(id) as PayoutIntent;
        if (c.payouts.authorize(id, nonce, validBefore, signature, now)) {
          this.ledger(current, 'payout.authorized', 'authorized', 0n, {
            nonce,
            valid_before: validBefore,
          });
        }
        return c.payouts.get(id) as PayoutIntent;
      });
      if (p.status !== 'approved' && p.status !== 'awaiting_signature') return;
      crashPoint('payout.authorized');
    }

    // Checked again at the last moment before anything leaves: a panic pressed while the
    // authorization was being signed still stops it.
    if (await this.stopped(p)) return;
    const nonce = p.nonce as `0x${string}`;
    const data = transferData(p);
    const pub = c.rpc.public(chain);
    try {
      await pub.call({ account: submitter.address, to: chain.usdc.address, data });
    } catch (error) {
      if (isTransient(error)) throw error;
      // No transaction carrying this authorization was ever stored, so none was ever sent:
      // it cannot land, and the money goes back now.
      await this.failAndRelease(p, `the transfer would fail on chain: ${messageOf(error)}`);
      return;
    }
    const client = c.rpc.wallet(chain, submitter);
    const request = await client.prepareTransactionRequest({
      account: submitter,
      chain: viemChain(chain),
      to: chain.usdc.address,
      data,
    });
    const raw = await client.signTransaction(request);
    const hash = keccak256(raw);
    const stored = await this.d.committer.run((tx) => {
      const now = this.d.clock.now();
      if (!c.payouts.submit(id, submitter.address, raw, hash, now)) return false;
      const current = c.payouts.get(id) as PayoutIntent;
      this.ledger(current, 'payout.submitted', 'submitted', 0n, {
        tx_hash: hash,
        submitter: submitter.address,
        nonce,
      });
      tx.afterCommit(() => {
        this.changed(id);
        this.d.events.emit('chain', {
          kind: 'payout_submitted',
          agentId: current.agentId,
          objectId: id,
          txHash: hash,
          message: `Payout ${id} was sent: ${hash}`,
        });
      });
      return true;
    });
    if (!stored) return;
    crashPoint('payout.stored');
    await pub.sendRawTransaction({ serializedTransaction: raw }).catch(() => undefined);
    crashPoint('payout.sent');
  }

  /**
   * A payout approved before the owner froze all spending, or paused or revoked its agent,
   * is not sent: nothing of it has left Purser yet, so it fails and its money comes back at
   * once. (One already sent can only end on chain.)
   */
  private async stopped(p: PayoutIntent): Promise<boolean> {
    const { d } = this;
    const agent = d.agents.get(p.agentId);
    const why = d.settings.get().frozen
      ? 'the owner froze all spending before it was sent'
      : agent?.status !== 'active'
        ? `its agent was ${agent?.status ?? 'removed'} before it was sent`
        : undefined;
    if (why === undefined) return false;
    await this.failAndRelease(p, `${why}; nothing was sent`);
    return true;
  }

  /** Step 4, for a payout whose transaction is stored: its receipt, or its fate later. */
  private async confirm(id: string): Promise<void> {
    const { c } = this;
    const p = c.payouts.get(id);
    if (!p || p.status !== 'submitted' || !p.txHash || !p.rawTx) return;
    const chain = c.chains.get(p.chain);
    if (!chain) return;
    const pub = c.rpc.public(chain);
    let receipt = await pub.getTransactionReceipt({ hash: p.txHash }).catch(() => undefined);
    if (!receipt) {
      // Sent again, byte for byte: a node that has it already says so, one that lost it
      // (a restart, a dropped transaction) takes it back. It can only ever land once.
      await pub.sendRawTransaction({ serializedTransaction: p.rawTx }).catch(() => undefined);
      receipt = await pub
        .waitForTransactionReceipt({ hash: p.txHash, timeout: RECEIPT_WAIT_MS })
        .catch(() => undefined);
    }
    if (!receipt) return;
    if (receipt.status === 'success') {
      await this.sync(chain);
      return;
    }
    await this.cancel(p, chain, Number(receipt.blockNumber));
  }

  /**
   * After a revert, the authorization is still valid and now public (it is in the failed
   * transaction's input): anyone could send it again. The agent's wallet cancels it on
   * chain; once the chain shows it cancelled, the payout can never land and fails.
   */
  private async cancel(p: PayoutIntent, chain: ChainConfig, revertedIn: number): Promise<void> {
    const { c } = this;
    const pub = c.rpc.public(chain);
    const data = transferData(p);
    // Why it reverted, as the token says it now (the balance, the deadline, the signature).
    const why = await pub
      .call({ account: p.submitter ?? undefined, to: chain.usdc.address, data })
      .then(() => 'the transaction reverted on chain')
      .catch((error: unknown) => messageOf(error));
    const reason = `transaction ${p.txHash} reverted: ${why}`;

    const keys = await this.openKeys(p);
    if (!keys) return;
    const cancelled = await this.cancelOnChain(p, chain, keys).catch((error: unknown) => {
      if (isTransient(error)) throw error;
      return false;
    });
    if (cancelled || (await this.wasCancelled(p, chain, revertedIn))) {
      await this.failAndRelease(p, `${reason}; the authorization was cancelled on chain`);
      return;
    }
    // Not cancellable and not cancelled: it was used after all. The reconciler matches it.
    await this.sync(chain);
  }

  private async cancelOnChain(
    p: PayoutIntent,
    chain: ChainConfig,
    keys: { payer: PrivateKeyAccount; submitter: PrivateKeyAccount },
  ): Promise<boolean> {
    const { c } = this;
    const nonce = p.nonce as `0x${string}`;
    const signature = await keys.payer.signTypedData({
      domain: domainOf(chain),
      types: CANCEL_TYPES,
      primaryType: 'CancelAuthorization',
      message: { authorizer: p.payer, nonce },
    });
    const { v, r, s } = parseSignature(signature);
    const pub = c.rpc.public(chain);
    const { request } = await pub.simulateContract({
      account: keys.submitter,
      address: chain.usdc.address,
      abi: usdcAbi,
      functionName: 'cancelAuthorization',
      args: [p.payer, nonce, Number(v), r, s],
    });
    const step = this.queue.then(() => c.rpc.wallet(chain, keys.submitter).writeContract(request));
    this.queue = step.catch(() => undefined);
    const hash = await step;
    const receipt = await pub.waitForTransactionReceipt({ hash, timeout: RECEIPT_WAIT_MS });
    return receipt.status === 'success';
  }

  /** Whether the chain shows this payout's authorization cancelled (after a crash, say). */
  async wasCancelled(p: PayoutIntent, chain: ChainConfig, fromBlock: number): Promise<boolean> {
    const logs = await this.c.rpc.public(chain).getContractEvents({
      address: chain.usdc.address,
      abi: usdcAbi,
      eventName: 'AuthorizationCanceled',
      args: { authorizer: p.payer, nonce: p.nonce as `0x${string}` },
      fromBlock: BigInt(fromBlock),
      toBlock: 'latest',
    });
    return logs.length > 0;
  }

  /**
   * Ends a payout that can no longer land, and gives back what it counted: its request's
   * usage (and any budget grant it drew on), in the same write (docs/payouts.md).
   */
  async failAndRelease(p: PayoutIntent, reason: string): Promise<void> {
    await this.d.committer.run((tx) => {
      const { c, d } = this;
      const now = d.clock.now();
      if (!c.payouts.fail(p.id, reason, now)) return;
      const agent = d.agents.get(p.agentId) as Agent;
      const counted = recount(d, this.budgets, tx, agent, p, -p.micros, now);
      this.ledger(c.payouts.get(p.id) as PayoutIntent, 'payout.failed', 'failed', counted, {
        failure_reason: reason,
        nonce: p.nonce,
        valid_before: p.validBefore,
        tx_hash: p.txHash,
        was: p.status,
      });
      tx.afterCommit(() => {
        this.changed(p.id);
        d.events.emit('chain', {
          kind: 'payout_failed',
          agentId: agent.id,
          objectId: p.id,
          message: `${agent.name}'s payout ${p.id} failed and its money was given back: ${reason}`,
        });
      });
    });
  }

  /** One ledger entry of a payout's life; `counted` moves its request's usage. */
  ledger(
    p: PayoutIntent,
    type:
      | 'payout.authorized'
      | 'payout.submitted'
      | 'payout.completed'
      | 'payout.failed'
      | 'payout.cancelled',
    status: string,
    counted: bigint,
    data: Record<string, unknown>,
  ): void {
    const { d } = this;
    d.ledger.append(
      {
        type,
        actor: 'system',
        mode: d.agents.get(p.agentId)?.mode ?? null,
        agentId: p.agentId,
        objectId: p.id,
        amount: p.micros,
        counted,
        status,
        merchant: p.address,
        rail: 'onchain',
        data: {
          spend_request_id: p.spendRequestId,
          usage_id: d.spends.get(p.spendRequestId)?.usageId ?? null,
          recipient_id: p.recipientId,
          address: p.address,
          network: p.network,
          ...data,
        },
      },
      d.clock.now(),
    );
  }

  /**
   * The agent's wallet key (it authorizes) and the owner's (it sends and pays the gas).
   * Locked keys or no owner key leave the payout `awaiting_signature`, saying why.
   */
  private async openKeys(
    p: PayoutIntent,
  ): Promise<{ payer: PrivateKeyAccount; submitter: PrivateKeyAccount } | undefined> {
    const { c } = this;
    const owner = c.accounts.owner();
    try {
      if (!owner?.canSign) {
        throw new PurserError(
          'invalid_request',
          'Payouts are sent by the owner’s account, which pays the gas: give it a key (`purser chain owner-account`).',
          { reason: 'no_owner_key' },
        );
      }
      const payer = await openAccount(c.accounts, c.sealer(), p.payer);
      const submitter = await openAccount(c.accounts, c.sealer(), owner.address);
      return { payer, submitter };
    } catch (error) {
      if (!(error instanceof PurserError)) throw error;
      if (p.status === 'approved' || p.status === 'awaiting_signature') {
        await this.d.committer.run((tx) => {
          const now = this.d.clock.now();
          if (c.payouts.move(p.id, p.status, 'awaiting_signature', error.message, now))
            tx.afterCommit(() => this.changed(p.id));
        });
      }
      return undefined;
    }
  }
}
