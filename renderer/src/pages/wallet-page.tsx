import { useEffect, useState, type FormEvent } from 'react';
import { formatCents, formatUsd, microsFromString } from '../../../shared/money';
import { visible } from '../../../shared/text/visible';
import type { ChainSummaryView, FundingSourceView, SettingsView } from '../api/client';
import { DataTable } from '../components/data-table';
import { DismissableError } from '../components/dismissable-error';
import { Recipients } from '../components/recipients';
import { AgentWallets, Allowances, OwnerAccount } from '../components/wallet-accounts';
import { useAgents } from '../stores/agents';
import { centsFromDollars, useChain, type ChainNews } from '../stores/chain';
import { useWallet } from '../stores/wallet';

const when = (iso: string) => new Date(iso).toLocaleString();

const NEWS_LABEL: Record<ChainNews['kind'], string> = {
  allowance_revoked: 'Allowance revoked',
  allowance_revoke_failed: 'Allowance revoke failed',
  allowance_set: 'Allowance set',
  payment_settled: 'Payment settled',
  payment_released: 'Payment released',
  payout_submitted: 'Payout sent',
  payout_completed: 'Payout completed',
  payout_failed: 'Payout failed',
  wallet_created: 'Wallet created',
  wallet_funded: 'Wallet funded',
  sync_failed: 'Chain sync failed',
};
const NEWS_FAILED = new Set<ChainNews['kind']>([
  'allowance_revoke_failed',
  'payout_failed',
  'sync_failed',
]);

/**
 * Wallet: where the money is. Funding sources and the global cap; on chain the key store,
 * the chains, the owner's account, each agent's Purser-held wallet and the allowances, with
 * what happens there as it is confirmed (a panic's revokes above all).
 */
export function WalletPage() {
  const { summary, funding, error, actionError, news, load, dismiss } = useChain();
  const settings = useWallet((s) => s.settings);
  const agents = useAgents((s) => s.agents);
  const loadAgents = useAgents((s) => s.load);
  useEffect(() => {
    void load();
    void loadAgents();
  }, [load, loadAgents]);

  const nameOf = (agentId: string | null) => {
    if (agentId === null) return '';
    const agent = agents.find((a) => a.id === agentId);
    return agent ? visible(agent.name) : agentId;
  };
  return (
    <section className="wallet">
      <h2>Wallet</h2>
      {error && <p role="alert">{error}</p>}
      {actionError && <DismissableError message={actionError} onDismiss={dismiss} />}
      <FundingSources funding={funding} settings={settings} />
      <h3>On chain</h3>
      {summary === null ? (
        !error && <p className="empty">Loading…</p>
      ) : (
        <>
          <KeyStore unlocked={summary.unlocked} />
          <ChainNewsList news={news} />
          <Chains chains={summary.chains} />
          <OwnerAccount summary={summary} />
          <AgentWallets summary={summary} agents={agents} />
          <Allowances summary={summary} nameOf={nameOf} />
        </>
      )}
      <Recipients />
    </section>
  );
}

function FundingSources({
  funding,
  settings,
}: {
  funding: FundingSourceView[];
  settings: SettingsView | null;
}) {
  const cap = settings?.global_cap ?? null;
  return (
    <>
      <h3>Funding sources</h3>
      {funding.length === 0 ? (
        <p className="empty">No funding sources yet: add money below.</p>
      ) : (
        <DataTable label="Funding sources" columns={['Source', 'Kind', 'Mode', 'Balance', 'Limit']}>
          {funding.map((f) => (
            <tr key={f.id} data-funding-source-id={f.id}>
              <td>
                {visible(f.name)} <code>{f.id}</code>
                {f.is_default && <span className="badge">default</span>}
              </td>
              <td>{f.kind === 'onchain' ? 'on chain' : 'cash'}</td>
              <td>{f.mode}</td>
              <td className="money">{formatUsd(microsFromString(f.balance_micros))}</td>
              <td>
                {f.limit_cents === null
                  ? 'no limit'
                  : `${formatCents(f.limit_cents)} ${f.limit_period ?? ''}${f.limit_window ? ` (${f.limit_window} window)` : ''}`}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <AddMoney />
      {settings && (
        <p className="global-cap">
          Global cap across all agents:{' '}
          {cap ? (
            <strong>
              {formatCents(cap.amount_cents)} {cap.period} ({cap.window} window)
            </strong>
          ) : (
            <>
              none. Set one with <code>purser settings set --global-cap-cents …</code>.
            </>
          )}
        </p>
      )}
    </>
  );
}

function KeyStore({ unlocked }: { unlocked: boolean }) {
  return unlocked ? (
    <p className="keys unlocked" role="status">
      Keys are unlocked: Purser can create wallets, fund them and sign.
    </p>
  ) : (
    <p className="banner warn keys locked" role="status">
      Keys are locked: start <code>purser serve</code> with <code>PURSER_PASSPHRASE</code> (or{' '}
      <code>--passphrase-file</code>) to create wallets, fund them and revoke allowances. What is on
      chain still shows below.
    </p>
  );
}

/** Live: every settlement, release and allowance change as it is confirmed on chain. */
function ChainNewsList({ news }: { news: ChainNews[] }) {
  return (
    <div className="chain-news">
      <h4>As it happens</h4>
      {news.length === 0 ? (
        <p className="empty">
          Nothing since this window opened. Settlements, releases and allowance changes show here as
          they are confirmed; panic revokes every allowance on chain, each one listed as it lands.
        </p>
      ) : (
        <ul role="log" aria-label="On-chain activity">
          {news.map((n) => (
            <li key={n.seq} data-kind={n.kind} className={NEWS_FAILED.has(n.kind) ? 'failed' : ''}>
              <strong>{NEWS_LABEL[n.kind]}</strong>
              {n.agent_name !== null && <> · {visible(n.agent_name)}</>}
              {n.tx_hash !== null && (
                <>
                  {' '}
                  · tx <code className="hash">{visible(n.tx_hash)}</code>
                </>
              )}
              {n.repeats > 0 && <> · {n.repeats + 1} times</>}
              <span className="when"> · {when(n.at)}</span>
              <div className="news-message">{visible(n.message)}</div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Chains({ chains }: { chains: ChainSummaryView['chains'] }) {
  return (
    <>
      <h4>Chains</h4>
      <ChainList chains={chains} />
    </>
  );
}

function ChainList({ chains }: { chains: ChainSummaryView['chains'] }) {
  if (chains.length === 0)
    return (
      <p className="empty next" role="note">
        No chain configured: run <code>purser chain set local --rpc … --usdc …</code> for a local
        node, or <code>purser chain set base-sepolia --rpc …</code> /{' '}
        <code>purser chain set base --rpc …</code> (their published USDC is the default).
      </p>
    );
  return (
    <DataTable label="Chains" columns={['Chain', 'Network', 'USDC', 'Synced to block']}>
      {chains.map((c) => (
        <tr key={c.id} data-chain={c.id}>
          <td>
            <strong>{c.id}</strong> <code>{visible(c.rpc_url)}</code>
          </td>
          <td>{c.network}</td>
          <td>
            <code className="address">{c.usdc.address}</code>{' '}
            <span className="units">
              {visible(c.usdc.name)} v{visible(c.usdc.version)}, {c.usdc.decimals} decimals
            </span>
          </td>
          <td>{c.synced_block ?? 'not yet'}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Each chain's USDC balance: dollars from whole cents, and the units as the chain says. */

/**
 * Adding money to the default cash source, from the window: what `purser funding deposit`
 * does, so a newcomer can fund a first agent without a terminal. Ledgered as any deposit.
 */
function AddMoney() {
  const deposit = useChain((s) => s.deposit);
  const busy = useChain((s) => s.busy === 'deposit');
  const [amount, setAmount] = useState('');
  const [mode, setMode] = useState<'live' | 'test'>('live');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const cents = centsFromDollars(amount);
    if (cents === null) {
      setProblem('Type an amount in dollars, such as 50 or 12.50.');
      return;
    }
    setProblem(null);
    void deposit(cents, mode).then(() => setAmount(''));
  };
  return (
    <form className="add-money actions" onSubmit={submit} aria-label="Add money">
      <label>
        Add money ($){' '}
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </label>
      <label>
        to{' '}
        <select value={mode} onChange={(e) => setMode(e.target.value as 'live' | 'test')}>
          <option value="live">live cash</option>
          <option value="test">test cash</option>
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Add money
      </button>
      {problem && (
        <p role="alert" className="form-problem">
          {problem}
        </p>
      )}
    </form>
  );
}
