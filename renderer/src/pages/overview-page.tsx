import { useEffect } from 'react';
import { meterLevel, percentText } from '../../../shared/forecast';
import { centsToMicros, formatUsd, microsFromString } from '../../../shared/money';
import { visible } from '../../../shared/text/visible';
import { WINDOW_WORDS } from '../components/agent-budget-meter';
import { OverviewSpend } from '../components/overview-spend';
import { OverviewWaiting } from '../components/overview-waiting';
import { activityText } from '../format/activity';
import { formatDuration } from '../format/durations';
import { useNow } from '../hooks/use-now';
import { useOverview, type OverviewAnswer } from '../stores/overview';
import './overview-page.css';

/** The agents whose budgets are most used, each with its bar; a link to Agents. */
function NearestLimits({ agents }: { agents: OverviewAnswer['nearest_limits'] }) {
  return (
    <section className="overview-panel" aria-labelledby="overview-limits">
      <h3 id="overview-limits">Nearest their limits</h3>
      {agents.length === 0 ? (
        <p className="empty">No agent has a budget yet.</p>
      ) : (
        <ul className="overview-limits">
          {agents.map((a) => {
            const spent = microsFromString(a.budget.spent_micros);
            const budget = centsToMicros(a.budget.budget_cents);
            const name = visible(a.agent_name);
            const width = Math.min(10_000, a.used_bp) / 100;
            return (
              <li key={a.agent_id} data-agent-id={a.agent_id}>
                <a href="#/agents" className="overview-agent">
                  {name}
                </a>
                {a.status !== 'active' && <span className={`badge ${a.status}`}>{a.status}</span>}
                <span className="overview-note">
                  {formatUsd(spent)} of {formatUsd(budget)}{' '}
                  {WINDOW_WORDS[a.budget.window_kind][a.budget.period]} ·{' '}
                  {percentText(spent, budget)}
                </span>
                <div
                  className={`overview-bar level-${meterLevel(spent, budget)}`}
                  role="meter"
                  aria-label={`Budget used by ${name}`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={width}
                  aria-valuetext={`${formatUsd(spent)} of ${formatUsd(budget)}`}
                >
                  <div style={{ width: `${width}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * Agents whose spend reached a warning level of their budget in its current window
 * (docs/alerts.md): the newest level each reached, newest first; a link to Agents.
 */
function BudgetAlerts({ alerts, now }: { alerts: OverviewAnswer['alerts']; now: number }) {
  return (
    <section className="overview-panel" aria-labelledby="overview-alerts">
      <h3 id="overview-alerts">Budget alerts</h3>
      {alerts.length === 0 ? (
        <p className="empty">No agent has reached a warning level of its budget this period.</p>
      ) : (
        <ul className="overview-alerts">
          {alerts.map((a) => {
            const { alert } = a;
            const spent = microsFromString(alert.spent_micros);
            const budget = microsFromString(alert.budget_micros);
            return (
              <li
                key={a.agent_id}
                data-agent-id={a.agent_id}
                data-level={alert.level_percent}
                className={alert.level_percent >= 100 ? 'full' : undefined}
              >
                <a href="#/agents" className="overview-agent">
                  {visible(a.agent_name)}
                </a>{' '}
                <span>
                  has used {alert.level_percent}% of its budget{' '}
                  {WINDOW_WORDS[a.window_kind][a.period]}
                </span>
                <span className="overview-note">
                  {' '}
                  · {formatUsd(spent)} of {formatUsd(budget)} ·{' '}
                  <time dateTime={alert.at} title={new Date(alert.at).toLocaleString()}>
                    {formatDuration(Math.max(0, now - Date.parse(alert.at)))} ago
                  </time>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The newest ledger entries in words, newest first; the Ledger has every one. */
function LatestActivity({ entries, now }: { entries: OverviewAnswer['activity']; now: number }) {
  return (
    <section className="overview-panel overview-activity" aria-labelledby="overview-activity">
      <h3 id="overview-activity">Latest activity</h3>
      <ol className="overview-activity-list">
        {entries.map((e) => (
          <li key={e.seq} data-seq={e.seq} data-type={e.type}>
            <span className="overview-activity-text">{activityText(e)}</span>
            <time dateTime={e.ts} title={new Date(e.ts).toLocaleString()}>
              {formatDuration(now - Date.parse(e.ts))} ago
            </time>
          </li>
        ))}
      </ol>
      <p>
        <a href="#/ledger">Every entry, in the Ledger</a>
      </p>
    </section>
  );
}

/**
 * The window's first page (docs/overview.md): what was spent across agents, what waits for
 * the owner, the agents nearest their limits and the latest activity, all from one read of
 * `GET /admin/v1/overview`, read again as events arrive (stores/overview.ts).
 */
export function OverviewPage() {
  const data = useOverview((s) => s.data);
  const error = useOverview((s) => s.error);
  const open = useOverview((s) => s.open);
  const close = useOverview((s) => s.close);
  // Ages tick between events: "waiting 3 min" becomes "4 min" without a read.
  const now = Math.max(useNow(15_000), data ? Date.parse(data.as_of) : 0);
  useEffect(() => {
    open();
    return close;
  }, [open, close]);
  return (
    <section className="overview" aria-labelledby="overview-title" data-ready={data !== null}>
      <h2 id="overview-title">Overview</h2>
      {error && (
        <p role="alert" className="banner error">
          Could not read the overview: {error}
        </p>
      )}
      {data === null ? (
        !error && <p className="empty">Loading…</p>
      ) : (
        <div className="overview-grid">
          <OverviewSpend spend={data.spend} />
          <OverviewWaiting waiting={data.waiting} now={now} />
          <NearestLimits agents={data.nearest_limits} />
          <BudgetAlerts alerts={data.alerts} now={now} />
          <LatestActivity entries={data.activity} now={now} />
        </div>
      )}
    </section>
  );
}
