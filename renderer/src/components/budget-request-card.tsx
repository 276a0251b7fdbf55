import { useState } from 'react';
import { visible } from '../../../shared/text/visible';
import type { OwnerBudgetRequestView } from '../../../shared/schemas/owner-api';
import { api, usd } from '../api/client';
import { useApprovals } from '../stores/approvals';

export function BudgetRequestCard({ request }: { request: OwnerBudgetRequestView }) {
  const { act, busy } = useApprovals();
  const [dollars, setDollars] = useState((request.requested_amount_cents / 100).toFixed(2));
  const [hours, setHours] = useState('24');
  const [comment, setComment] = useState('');
  const cents = Math.round(Number(dollars) * 100);
  const valid = Number.isFinite(cents) && cents > 0 && Number(hours) > 0;
  return (
    <article
      className="card"
      data-budget-request-id={request.id}
      aria-label={`Budget request ${request.id}`}
    >
      <header>
        <strong>{visible(request.agent_name)}</strong> asks for a budget of{' '}
        <strong>{usd(request.requested_amount_cents)}</strong>
        <span className="status pending">budget request</span>
      </header>
      <p className="reason">
        “{visible(request.purpose)}”{request.category && ` · ${visible(request.category)}`}
      </p>
      <div className="actions">
        <label>
          Amount ${' '}
          <input
            aria-label="Approved amount"
            value={dollars}
            onChange={(e) => setDollars(e.target.value)}
            size={10}
          />
        </label>
        <label>
          for{' '}
          <input
            aria-label="Hours"
            value={hours}
            onChange={(e) => setHours(e.target.value)}
            size={4}
          />{' '}
          hours
        </label>
        <input
          aria-label="Comment"
          placeholder="Comment (optional)"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <button
          disabled={!valid || busy === request.id}
          onClick={() =>
            void act(request.id, () =>
              api.approveBudget(request.id, {
                amount_cents: cents,
                hours: Number(hours),
                comment: comment.trim() || undefined,
              }),
            )
          }
        >
          Approve
        </button>
        <button
          className="secondary"
          disabled={busy === request.id}
          onClick={() =>
            void act(request.id, () =>
              api.rejectBudget(request.id, { reason: comment.trim() || undefined }),
            )
          }
        >
          Reject
        </button>
      </div>
      <footer>
        <code>{request.id}</code> · expires {new Date(request.expires_at).toLocaleString()}
      </footer>
    </article>
  );
}
