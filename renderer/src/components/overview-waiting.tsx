import { visible } from '../../../shared/text/visible';
import { formatDuration } from '../format/durations';
import { useLedger } from '../stores/ledger';
import { EMPTY_FILTER } from '../stores/ledger-filter';
import type { OverviewAnswer } from '../stores/overview';

type Waiting = OverviewAnswer['waiting'];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const oldest = (at: string | null, now: number, count: number) =>
  at === null
    ? ''
    : `, ${count === 1 ? '' : 'the oldest '}waiting ${formatDuration(now - Date.parse(at))}`;

/** The unmatched transfers are in the Ledger: the link opens it filtered to them. */
const showUnmatched = () =>
  useLedger.getState().setFilter({ ...EMPTY_FILTER, type: 'chain.transfer_unmatched' });

/**
 * What waits for the owner, each kind a link to where it is acted on: requests and receipt
 * reviews in Approvals, unmatched transfers in the Ledger, paused agents in Agents.
 */
export function OverviewWaiting({ waiting, now }: { waiting: Waiting; now: number }) {
  const { spend_requests: spends, budget_requests: budgets } = waiting;
  const items = [
    spends.count > 0 && (
      <li key="spend" data-waiting="spend_requests">
        <a href="#/approvals">
          {plural(spends.count, 'spend request')}
          {oldest(spends.oldest_at, now, spends.count)}
        </a>
      </li>
    ),
    budgets.count > 0 && (
      <li key="budget" data-waiting="budget_requests">
        <a href="#/approvals">
          {plural(budgets.count, 'budget request')}
          {oldest(budgets.oldest_at, now, budgets.count)}
        </a>
      </li>
    ),
    waiting.receipt_reviews.count > 0 && (
      <li key="receipts" data-waiting="receipt_reviews">
        <a href="#/approvals">
          {plural(waiting.receipt_reviews.count, 'receipt')} held for your review
        </a>
      </li>
    ),
    waiting.unmatched_transfers.count > 0 && (
      <li key="unmatched" data-waiting="unmatched_transfers">
        <a href="#/ledger" onClick={showUnmatched}>
          {plural(waiting.unmatched_transfers.count, 'on-chain transfer')} that matched no approved
          request
        </a>
      </li>
    ),
    waiting.paused_agents.count > 0 && (
      <li key="paused" data-waiting="paused_agents">
        <a href="#/agents">
          {plural(waiting.paused_agents.count, 'paused agent')}:{' '}
          {waiting.paused_agents.agents.map((a) => visible(a.name)).join(', ')}
          {waiting.paused_agents.count > waiting.paused_agents.agents.length && ', …'}
        </a>
      </li>
    ),
  ].filter(Boolean);
  return (
    <section className="overview-panel" aria-labelledby="overview-waiting">
      <h3 id="overview-waiting">Waiting for you</h3>
      {items.length === 0 ? (
        <p className="empty">Nothing waits for you.</p>
      ) : (
        <ul className="overview-waiting">{items}</ul>
      )}
    </section>
  );
}
