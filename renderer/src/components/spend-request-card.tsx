import { useState } from 'react';
import { showMatchedKey } from '../../../shared/merchant';
import { visible } from '../../../shared/text/visible';
import type { SpendStatus } from '../../../shared/domain';
import type { OwnerSpendView } from '../../../shared/schemas/owner-api';
import { api, usd } from '../api/client';
import { useApprovals } from '../stores/approvals';
import { X402Details } from './x402-details';

const STATUS_LABEL: Record<SpendStatus, string> = {
  approved: 'approved',
  declined: 'declined',
  needs_approval: 'needs approval',
  expired: 'expired',
  cancelled: 'cancelled',
};

/** What approving does to the budget, in one sentence. */
function impactText(r: OwnerSpendView): string {
  const i = r.impact;
  if (!i) return visible(r.decision_reason);
  if (i.hard_limit) return `Cannot be approved now: ${visible(i.hard_limit.reason)}`;
  if (i.exceeds_budget)
    return `Approving goes over the ${i.period} budget by ${usd(i.over_by_cents)} (${usd(i.spent_after_cents)} of ${usd(i.budget_cents)}).`;
  return `Approving leaves ${usd(i.budget_cents - i.spent_after_cents)} of the ${usd(i.budget_cents)} ${i.period} budget.`;
}

export function SpendRequestCard({
  request,
  focused,
}: {
  request: OwnerSpendView;
  focused: boolean;
}) {
  const { act, busy } = useApprovals();
  const [comment, setComment] = useState('');
  const pending = request.status === 'needs_approval';
  const over = request.impact?.exceeds_budget ?? false;
  const blocked = request.impact?.hard_limit != null;
  const note = comment.trim() || undefined;
  return (
    <article
      className={focused ? 'card focused' : 'card'}
      data-request-id={request.id}
      aria-label={`Spend request ${request.id}`}
    >
      <header>
        <strong>{visible(request.agent_name)}</strong> asks to spend{' '}
        <strong>{usd(request.amount_cents)}</strong> at{' '}
        <strong>{visible(request.merchant_name)}</strong>
        {showMatchedKey(request.merchant_name, request.merchant_key) && (
          <span className="merchant-key">
            {' '}
            (matched as <code>{visible(request.merchant_key)}</code>)
          </span>
        )}
        <span className={`status ${request.status}`}>{STATUS_LABEL[request.status]}</span>
      </header>
      <p className="reason">“{visible(request.reason)}”</p>
      {request.x402 && <X402Details x402={request.x402} />}
      <p className={over || blocked ? 'impact warn' : 'impact'}>{impactText(request)}</p>
      {request.owner_comment && (
        <p className="comment">Your note: {visible(request.owner_comment)}</p>
      )}
      {pending && (
        <div className="actions">
          <input
            aria-label="Comment"
            placeholder="Comment (optional)"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <button
            disabled={busy === request.id || blocked}
            onClick={() =>
              void act(request.id, () =>
                api.approveSpend(request.id, { comment: note, override_budget: over || undefined }),
              )
            }
          >
            {over ? 'Approve over budget' : 'Approve'}
          </button>
          <button
            className="secondary"
            disabled={busy === request.id}
            onClick={() =>
              void act(request.id, () => api.declineSpend(request.id, { comment: note }))
            }
          >
            Decline
          </button>
        </div>
      )}
      <footer>
        <code>{request.id}</code> · {new Date(request.created_at).toLocaleString()}
        {request.expires_at && pending && (
          <> · expires {new Date(request.expires_at).toLocaleString()}</>
        )}
      </footer>
    </article>
  );
}
