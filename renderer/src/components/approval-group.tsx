import { useState } from 'react';
import { visible } from '../../../shared/text/visible';
import { useApprovals } from '../stores/approvals';
import type { ApprovalGroup } from '../stores/approvals-state';
import { BudgetRequestCard } from './budget-request-card';
import { ReceiptReviewCard } from './receipt-review-card';
import { SpendRequestCard } from './spend-request-card';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * One agent's share of what waits: its counts, its newest requests (more on demand) and a
 * way to decline them all, so that one agent's flood never hides another's request.
 */
export function ApprovalGroupSection({
  group,
  focusId,
}: {
  group: ApprovalGroup;
  focusId: string | null;
}) {
  const { busy, more, declineAll } = useApprovals();
  const [confirming, setConfirming] = useState(false);
  const name = visible(group.agent_name);
  const counts = [
    group.pending_count > 0 && plural(group.pending_count, 'request', 'requests'),
    group.budget_request && '1 budget request',
    group.review_count > 0 && plural(group.review_count, 'receipt to review', 'receipts to review'),
  ].filter(Boolean);
  const shown = group.spend_requests.length;
  const declinable = group.pending_count > 0 || group.budget_request !== null;
  return (
    <section
      className="approval-group"
      data-agent-id={group.agent_id}
      aria-label={`Waiting from ${name}`}
    >
      <header className="group-header">
        <h3>
          {name}
          {group.agent_status && group.agent_status !== 'active' && (
            <span className={`status ${group.agent_status}`}>{group.agent_status}</span>
          )}
        </h3>
        <span className="group-counts">{counts.join(' · ')}</span>
        {declinable &&
          (confirming ? (
            <span className="confirm" role="alertdialog" aria-label={`Decline all from ${name}`}>
              Decline {plural(group.pending_count, 'request', 'requests')}
              {group.budget_request ? ' and the budget request' : ''} from {name}?{' '}
              <button
                className="danger"
                disabled={busy === group.agent_id}
                onClick={() => {
                  setConfirming(false);
                  void declineAll(group.agent_id);
                }}
              >
                Decline all
              </button>{' '}
              <button className="secondary" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button className="secondary" onClick={() => setConfirming(true)}>
              Decline all…
            </button>
          ))}
      </header>
      {group.spend_requests.map((r) => (
        <SpendRequestCard key={r.id} request={r} focused={r.id === focusId} />
      ))}
      {group.next_before !== null && (
        <button className="secondary more" onClick={() => void more(group.agent_id)}>
          Show more ({group.pending_count - shown} more waiting)
        </button>
      )}
      {group.budget_request && <BudgetRequestCard request={group.budget_request} />}
      {group.receipt_reviews.map((r) => (
        <ReceiptReviewCard key={r.id} receipt={r} />
      ))}
      {group.review_count > group.receipt_reviews.length && (
        <p className="more-note">
          {plural(
            group.review_count - group.receipt_reviews.length,
            'more receipt waits',
            'more receipts wait',
          )}{' '}
          for review; they show here as you answer these.
        </p>
      )}
    </section>
  );
}
