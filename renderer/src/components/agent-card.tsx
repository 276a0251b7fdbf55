import { useEffect, useId, useState } from 'react';
import type { AgentStatus } from '../../../shared/domain';
import type { CountedEntry } from '../../../shared/forecast';
import { formatCents, formatUsd, microsFromString } from '../../../shared/money';
import { formatDuration } from '../format/durations';
import type { AgentView, BudgetAlertView } from '../../../shared/schemas/owner-api';
import { visible } from '../../../shared/text/visible';
import type { KeyView } from '../api/client';
import { useAgents } from '../stores/agents';
import { useConnect } from '../stores/connect';
import { AgentBudgetMeter } from './agent-budget-meter';
import { ConnectDialog, FirstRequest, clientName } from './agent-connect';
import { AgentKeys } from './agent-keys';
import { PolicyFormDialog } from './policy-form';
import { SpendChart } from './spend-chart';

const STATUS_TEXT: Record<AgentStatus, string> = {
  active: 'Active',
  paused: 'Paused',
  revoked: 'Revoked',
};

/** A list of merchants in a sentence, escaped, at most a few shown. */
function names(list: string[], max = 3): string {
  const shown = list.slice(0, max).map(visible).join(', ');
  return list.length > max ? `${shown} and ${list.length - max} more` : shown;
}

/** The limits besides the budget, in words. */
function PolicySummary({ agent }: { agent: AgentView }) {
  const p = agent.policy;
  return (
    <dl className="policy-summary">
      <dt>Each purchase</dt>
      <dd>
        {p.max_transaction_cents === null
          ? 'no size limit'
          : `at most ${formatCents(p.max_transaction_cents)}`}
        {p.approval_threshold_cents !== null &&
          `; you approve ${formatCents(p.approval_threshold_cents)} or more`}
        {p.ask_on_new_merchant && '; you approve a new merchant'}
      </dd>
      <dt>Over budget</dt>
      <dd>
        {p.over_budget === 'ask' ? 'you are asked' : 'declined'}
        {p.pause_on_over_budget && '; paused if a receipt goes over'}
      </dd>
      <dt>Alerts</dt>
      <dd>
        {p.alert_levels_percent.length === 0
          ? 'none'
          : `at ${p.alert_levels_percent.map((l) => `${l}%`).join(', ')} of the budget`}
      </dd>
      <dt>Merchants</dt>
      <dd>
        {p.allow_merchants.length === 0 ? 'any' : `only ${names(p.allow_merchants)}`}
        {p.deny_merchants.length > 0 && `; never ${names(p.deny_merchants)}`}
        {p.allowed_categories.length > 0 && `; categories ${names(p.allowed_categories)}`}
      </dd>
      <dt>Pace</dt>
      <dd>
        {p.velocity_per_hour === null
          ? 'no hourly limit'
          : `at most ${p.velocity_per_hour} purchase${p.velocity_per_hour === 1 ? '' : 's'} an hour`}
        ; {p.rate_limit_per_minute.toLocaleString('en-US')} requests a minute
      </dd>
    </dl>
  );
}

/**
 * The newest warning level this agent's spend reached in its current budget window
 * (docs/alerts.md): one badge, whatever the number of levels reached.
 */
function BudgetAlertBadge({ alert, now }: { alert: BudgetAlertView; now: number }) {
  const level = alert.level_percent;
  const when = `${formatDuration(Math.max(0, now - Date.parse(alert.at)))} ago`;
  const figures = `${formatUsd(microsFromString(alert.spent_micros))} of ${formatUsd(microsFromString(alert.budget_micros))}`;
  return (
    <span
      className={`badge budget-alert${level >= 100 ? ' full' : ''}`}
      data-budget-alert={level}
      title={`Reached ${when}: ${figures}`}
    >
      {level}% of budget used
    </span>
  );
}

/**
 * One agent: its status, its budget meter with the reset and the forecast, its spend over
 * the last windows, its limits, its keys, and what the owner can do (edit the policy,
 * pause or resume).
 */
export function AgentCard({
  agent,
  keys,
  usage,
  now,
  timeZone,
  frozen,
}: {
  agent: AgentView;
  keys: KeyView[] | undefined;
  usage: CountedEntry[] | undefined;
  now: number;
  timeZone: string;
  frozen: boolean;
}) {
  const busy = useAgents((s) => s.busy === agent.id);
  const pause = useAgents((s) => s.pause);
  const resume = useAgents((s) => s.resume);
  const refresh = useAgents((s) => s.refresh);
  const [editing, setEditing] = useState(false);
  const connecting = useConnect((s) => s.dialog?.agentId === agent.id);
  const watch = useConnect((s) => s.watches[agent.id]);
  const openConnect = useConnect((s) => s.open);
  const forget = useConnect((s) => s.forget);
  const headingId = useId();

  // A calendar window that has ended: read the new one (its meter starts again at zero).
  const windowEnd = agent.budget.window_kind === 'calendar' ? agent.budget.window_end : null;
  const ended = windowEnd !== null && now >= Date.parse(windowEnd);
  useEffect(() => {
    if (ended) void refresh(agent.id);
  }, [ended, agent.id, refresh]);

  const name = visible(agent.name);
  const halted =
    agent.status === 'paused'
      ? 'No forecast while paused: nothing more is spent until you resume it.'
      : agent.status === 'revoked'
        ? 'Revoked: nothing more is spent.'
        : frozen
          ? 'No forecast while the wallet is frozen: nothing is spent until you unfreeze it.'
          : null;
  return (
    <article
      className="card agent-card"
      data-agent-id={agent.id}
      data-status={agent.status}
      aria-labelledby={headingId}
    >
      <header>
        <h3 id={headingId}>{name}</h3>
        <code>{agent.id}</code>
        {agent.mode === 'test' && <span className="badge">test mode</span>}
        <span className={`status ${agent.status}`}>{STATUS_TEXT[agent.status]}</span>
        {agent.budget_alert && <BudgetAlertBadge alert={agent.budget_alert} now={now} />}
      </header>
      {agent.status === 'paused' && (
        <p className="agent-note paused">
          Paused: every spend request is declined until you resume it.
        </p>
      )}
      {agent.status === 'revoked' && (
        <p className="agent-note">Revoked: this agent and its keys can no longer spend.</p>
      )}
      {agent.status === 'active' && frozen && (
        <p className="agent-note paused">
          The wallet is frozen: this agent cannot spend until you unfreeze it.
        </p>
      )}
      <div className="agent-body">
        <div className="agent-budget">
          <AgentBudgetMeter
            agent={agent}
            now={now}
            timeZone={timeZone}
            halted={halted}
            usage={usage}
          />
          <PolicySummary agent={agent} />
        </div>
        <SpendChart agent={agent} entries={usage} timeZone={timeZone} now={now} />
      </div>
      <AgentKeys agent={agent} keys={keys} now={now} />
      {agent.status !== 'revoked' && (
        <div className="agent-actions">
          <button type="button" className="connect-agent" onClick={() => openConnect(agent.id)}>
            Connect
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            Edit policy
          </button>
          {agent.status === 'active' ? (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void pause(agent.id)}
            >
              Pause
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => void resume(agent.id)}>
              Resume
            </button>
          )}
          <span className="policy-version">policy v{agent.policy_version}</span>
        </div>
      )}
      {watch && !connecting && (
        <div className="connect-watch">
          <FirstRequest watch={watch} clientName={clientName(watch.client)} />
          <button
            type="button"
            className="secondary small"
            aria-label={`Dismiss the first request from ${clientName(watch.client)}`}
            onClick={() => forget(agent.id)}
          >
            Dismiss
          </button>
        </div>
      )}
      {editing && <PolicyFormDialog agent={agent} onClose={() => setEditing(false)} />}
      {connecting && <ConnectDialog agent={agent} />}
    </article>
  );
}
