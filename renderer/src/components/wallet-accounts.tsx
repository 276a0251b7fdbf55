/**
 * The Wallet page's on-chain accounts: the owner's account, the agents' Purser-held
 * wallets (create, fund) and the allowances of agents that hold their own keys (revoke).
 */
import { useState } from 'react';
import { formatCents, formatUsd } from '../../../shared/money';
import { visible } from '../../../shared/text/visible';
import type { AgentView } from '../../../shared/schemas/owner-api';
import type { AllowanceView, ChainAccountView, ChainSummaryView } from '../api/client';
import { centsFromDollars, unitsToMicros, useChain } from '../stores/chain';
import { DataTable } from './data-table';

const when = (iso: string) => new Date(iso).toLocaleString();

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
              <strong className="money">{formatCents(b.usdc_cents)}</strong>{' '}
              <span className="units">({b.usdc_units} units)</span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function OwnerAccount({ summary }: { summary: ChainSummaryView }) {
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

/** A Purser-held wallet's cells in the Agent wallets table: its address, then its USDC. */
function WalletCells({ wallet }: { wallet: ChainAccountView }) {
  return (
    <>
      <td>
        <code className="address">{wallet.address}</code>
      </td>
      <td>
        <Balances account={wallet} />
      </td>
    </>
  );
}

export function AgentWallets({
  summary,
  agents,
}: {
  summary: ChainSummaryView;
  agents: AgentView[];
}) {
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
        <DataTable label="Agent wallets" columns={['Agent', 'Wallet', 'USDC', '']}>
          {agents.map((agent) => {
            const wallet = walletOf(agent.id);
            return (
              <tr key={agent.id} data-agent-id={agent.id}>
                <td>
                  {visible(agent.name)} <code>{agent.id}</code>
                </td>
                {wallet ? (
                  <>
                    <WalletCells wallet={wallet} />
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
              <WalletCells wallet={wallet} />
              <td />
            </tr>
          ))}
        </DataTable>
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

export function Allowances({
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
        <DataTable
          label="Allowances"
          columns={['Agent', 'Spender', 'Allowance', 'Left', 'Spent', 'Status', '']}
        >
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
                  {a.reset_each_window && <div className="units">set again each budget window</div>}
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
        </DataTable>
      )}
    </>
  );
}
