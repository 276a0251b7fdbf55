import { useEffect, useState } from 'react';
import { centsToMicros, formatUsd, microsFromString } from '../../../shared/money';
import { visible } from '../../../shared/text/visible';
import type { AgentView } from '../../../shared/schemas/owner-api';
import type {
  AllowanceView,
  ChainAccountView,
  ChainSummaryView,
  FundingSourceView,
  SettingsView,
} from '../api/client';
import { DismissableError } from '../components/dismissable-error';
import { useAgents } from '../stores/agents';
import { centsFromDollars, unitsToMicros, useChain, type ChainNews } from '../stores/chain';
import { useWallet } from '../stores/wallet';

const dollars = (cents: number) => formatUsd(centsToMicros(cents));
const when = (iso: string) => new Date(iso).toLocaleString();

const NEWS_LABEL: Record<ChainNews['kind'], string> = {
  allowance_revoked: 'Allowance revoked',
  allowance_revoke_failed: 'Allowance revoke failed',
  allowance_set: 'Allowance set',
  payment_settled: 'Payment settled',
  payment_released: 'Payment released',
  wallet_created: 'Wallet created',
  wallet_funded: 'Wallet funded',
  sync_failed: 'Chain sync failed',
};
const NEWS_FAILED = new Set<ChainNews['kind']>(['allowance_revoke_failed', 'sync_failed']);

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
        <p className="empty">
          No funding sources yet. Add money with <code>purser funding deposit --cents …</code>.
        </p>
      ) : (
        <table aria-label="Funding sources">
          <thead>
            <tr>
              <th>Source</th>
              <th>Kind</th>
              <th>Mode</th>
              <th>Balance</th>
              <th>Limit</th>
            </tr>
          </thead>
          <tbody>
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
                    : `${dollars(f.limit_cents)} ${f.limit_period ?? ''}${f.limit_window ? ` (${f.limit_window} window)` : ''}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {settings && (
        <p className="global-cap">
          Global cap across all agents:{' '}
          {cap ? (
            <strong>
              {dollars(cap.amount_cents)} {cap.period} ({cap.window} window)
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
    <table aria-label="Chains">
      <thead>
        <tr>
          <th>Chain</th>
          <th>Network</th>
          <th>USDC</th>
          <th>Synced to block</th>
        </tr>
      </thead>
      <tbody>
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
      </tbody>
    </table>
  );
}

/** Each chain's USDC balance: dollars from whole cents, and the units as the chain says. */
function Balances({ account }: { account: ChainAccountView }) {
  if (account.balances.length === 0) return <span className="empty">no chain configured</span>;
  return (
    <ul className="balances">
      {account.balances.map((b) => (
        <li key={b.chain}>
          {account.balances.length > 1 && <>{b.chain}: </>}
          {b.usdc_cents === null || b.usdc_units === null ? (
            <span className="warn-text">unknown: {b.chain} could not be reached</span>
          ) : (
            <>
              <strong className="money">{dollars(b.usdc_cents)}</strong>{' '}
              <span className="units">({b.usdc_units} units)</span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function OwnerAccount({ summary }: { summary: ChainSummaryView }) {
  const owner = summary.accounts.find((a) => a.role === 'owner');
  return (
    <>
      <h4>Your account</h4>
      {owner ? (
        <dl className="settings owner-account" aria-label="Your account">
          <dt>Address</dt>
          <dd>
            <code className="address">{owner.address}</code>
          </dd>
          <dt>Purser</dt>
          <dd>
            {owner.can_sign ? (
              <span className="badge known">can sign</span>
            ) : (
              <span className="badge">watch-only</span>
            )}{' '}
            {owner.can_sign
              ? 'funds agent wallets and grants allowances from it'
              : 'reads it, never signs for it: funding and allowances need its key'}
          </dd>
          <dt>USDC</dt>
          <dd>
            <Balances account={owner} />
          </dd>
        </dl>
      ) : (
        <p className="empty next" role="note">
          No account of yours yet: run <code>purser chain owner --import-key-file …</code> to fund
          agents and grant allowances from it, <code>purser chain owner --generate</code> for a new
          one, or <code>purser chain owner --watch …</code> to only watch an address.
        </p>
      )}
    </>
  );
}

function AgentWallets({ summary, agents }: { summary: ChainSummaryView; agents: AgentView[] }) {
  const { busy, createWallet } = useChain();
  const walletOf = (agentId: string) =>
    summary.accounts.find((a) => a.role === 'agent' && a.agent_id === agentId);
  // Wallets of agents the list does not hold (yet) still show, by id.
  const orphans = summary.accounts.filter(
    (a) => a.role === 'agent' && !agents.some((g) => g.id === a.agent_id),
  );
  return (
    <>
      <h4>Agent wallets</h4>
      <p className="hint">
        A Purser-held wallet holds only what you move to it, so the chain itself caps what its agent
        can pay. Its key is sealed in Purser and never shown.
      </p>
      {agents.length === 0 && orphans.length === 0 ? (
        <p className="empty">
          No agents yet. Create one with <code>purser agents create --name …</code>.
        </p>
      ) : (
        <table aria-label="Agent wallets">
          <thead>
            <tr>
              <th>Agent</th>
              <th>Wallet</th>
              <th>USDC</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => {
              const wallet = walletOf(agent.id);
              return (
                <tr key={agent.id} data-agent-id={agent.id}>
                  <td>
                    {visible(agent.name)} <code>{agent.id}</code>
                  </td>
                  {wallet ? (
                    <>
                      <td>
                        <code className="address">{wallet.address}</code>
                      </td>
                      <td>
                        <Balances account={wallet} />
                      </td>
                      <td>
                        <FundForm agentId={agent.id} agentName={agent.name} />
                      </td>
                    </>
                  ) : (
                    <>
                      <td className="empty">no wallet</td>
                      <td />
                      <td>
                        <button
                          type="button"
                          disabled={busy === `wallet:${agent.id}`}
                          aria-label={`Create wallet for ${visible(agent.name)}`}
                          onClick={() => void createWallet(agent.id)}
                        >
                          Create wallet
                        </button>
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
            {orphans.map((wallet) => (
              <tr key={wallet.id} data-agent-id={wallet.agent_id ?? ''}>
                <td>
                  <code>{wallet.agent_id}</code>
                </td>
                <td>
                  <code className="address">{wallet.address}</code>
                </td>
                <td>
                  <Balances account={wallet} />
                </td>
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Moves dollars from the owner's account to the agent's wallet; answered once confirmed. */
function FundForm({ agentId, agentName }: { agentId: string; agentName: string }) {
  const { busy, fund } = useChain();
  const [amount, setAmount] = useState('');
  const cents = centsFromDollars(amount);
  const sending = busy === `fund:${agentId}`;
  return (
    <form
      className="actions"
      onSubmit={(e) => {
        e.preventDefault();
        if (cents !== null) void fund(agentId, cents).then(() => setAmount(''));
      }}
    >
      <label>
        ${' '}
        <input
          aria-label={`Amount to fund ${visible(agentName)}'s wallet, in dollars`}
          inputMode="decimal"
          placeholder="10.00"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          size={8}
        />
      </label>
      <button type="submit" disabled={cents === null || sending}>
        {sending ? 'Funding…' : 'Fund'}
      </button>
    </form>
  );
}

/** Dollars where the token's units convert exactly, and always the units as the chain says. */
function Units({ units, decimals }: { units: string | null; decimals: number | undefined }) {
  if (units === null) return <span className="warn-text">unknown (chain not reachable)</span>;
  const micros = decimals === undefined ? null : unitsToMicros(units, decimals);
  return (
    <>
      {micros !== null && <strong className="money">{formatUsd(micros)}</strong>}{' '}
      <span className="units">({units} units)</span>
    </>
  );
}

function Allowances({
  summary,
  nameOf,
}: {
  summary: ChainSummaryView;
  nameOf: (agentId: string) => string;
}) {
  const { busy, revoke } = useChain();
  const decimalsOf = (chain: string) => summary.chains.find((c) => c.id === chain)?.usdc.decimals;
  return (
    <>
      <h4>Allowances</h4>
      <p className="hint">
        For agents that hold their own keys: the chain refuses any transfer from your account beyond
        the allowance.
      </p>
      {summary.allowances.length === 0 ? (
        <p className="empty next" role="note">
          No allowances. Grant one to an agent&apos;s own address with{' '}
          <code>purser chain allow &lt;agent&gt; &lt;spender&gt;</code>; revoke it with{' '}
          <code>purser chain revoke &lt;agent&gt;</code> or here.
        </p>
      ) : (
        <table aria-label="Allowances">
          <thead>
            <tr>
              <th>Agent</th>
              <th>Spender</th>
              <th>Allowance</th>
              <th>Left</th>
              <th>Spent</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {summary.allowances.map((a: AllowanceView) => {
              const decimals = decimalsOf(a.chain);
              return (
                <tr key={a.agent_id} data-allowance-agent-id={a.agent_id} data-status={a.status}>
                  <td>
                    {nameOf(a.agent_id)}
                    {summary.chains.length > 1 && <span className="units"> on {a.chain}</span>}
                  </td>
                  <td>
                    <code className="address">{a.spender}</code>
                  </td>
                  <td>
                    <Units units={a.amount_units} decimals={decimals} />
                    {a.reset_each_window && (
                      <div className="units">set again each budget window</div>
                    )}
                  </td>
                  <td>
                    <Units units={a.left_units} decimals={decimals} />
                  </td>
                  <td>
                    <Units units={a.spent_units} decimals={decimals} />
                  </td>
                  <td>
                    <span className={`status ${a.status === 'active' ? 'approved' : 'declined'}`}>
                      {a.status}
                    </span>
                    {a.tx_hash && (
                      <div className="units">
                        last tx <code className="hash">{a.tx_hash}</code>
                      </div>
                    )}
                    <div className="units">{when(a.updated_at)}</div>
                  </td>
                  <td>
                    {a.status === 'active' && (
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy === `revoke:${a.agent_id}`}
                        aria-label={`Revoke allowance of ${nameOf(a.agent_id)}`}
                        onClick={() => void revoke(a.agent_id)}
                      >
                        {busy === `revoke:${a.agent_id}` ? 'Revoking…' : 'Revoke allowance'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
