import { formatCents } from '../../../shared/money';
import { showMatchedKey } from '../../../shared/merchant';
import { visible } from '../../../shared/text/visible';
import type { SpendStatus } from '../../../shared/domain';
import type { OwnerSpendView } from '../../../shared/schemas/owner-api';
import { ageText, expiresSoon, expiryText } from '../format/durations';
import { useNow } from '../hooks/use-now';
import { useApprovals } from '../stores/approvals';
import { DecisionActions, useComment } from './decision-actions';
import { ImpactBar } from './impact-bar';
import { PayoutDetails } from './payout-details';
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
    return `Approving goes over the ${i.period} budget by ${formatCents(i.over_by_cents)} (${formatCents(i.spent_after_cents)} of ${formatCents(i.budget_cents)}).`;
  return `Approving leaves ${formatCents(i.budget_cents - i.spent_after_cents)} of the ${formatCents(i.budget_cents)} ${i.period} budget.`;
}

export function SpendRequestCard({
  request,
  focused,
}: {
  request: OwnerSpendView;
  focused: boolean;
}) {
  const { busy, selected, confirming, approve, confirmOverride, cancelConfirm, decline, select } =
    useApprovals();
  const now = useNow();
  const comment = useComment();
  const pending = request.status === 'needs_approval';
  const over = request.impact?.exceeds_budget ?? false;
  const blocked = request.impact?.hard_limit != null;
  const classes = ['card', focused && 'focused', selected === request.id && 'selected'];
  return (
    <article
      className={classes.filter(Boolean).join(' ')}
      data-request-id={request.id}
      aria-label={`Spend request ${request.id}`}
      onFocus={() => select(request.id)}
    >
      <header>
        <strong>{visible(request.agent_name)}</strong>{' '}
        {request.payout ? 'asks to pay out' : 'asks to spend'}{' '}
        <strong>{formatCents(request.amount_cents)}</strong> {request.payout ? 'to' : 'at'}{' '}
        <strong>
          {request.payout?.recipient_name != null
            ? visible(request.payout.recipient_name)
            : visible(request.merchant_name)}
        </strong>
        {!request.payout && showMatchedKey(request.merchant_name, request.merchant_key) && (
          <span className="merchant-key">
            {' '}
            (matched as <code>{visible(request.merchant_key)}</code>)
          </span>
        )}
        {request.category && (
          <span className="category" aria-label={`Category ${visible(request.category)}`}>
            {visible(request.category)}
          </span>
        )}
        <span className={`status ${request.status}`}>{STATUS_LABEL[request.status]}</span>
      </header>
      <p className="reason">“{visible(request.reason)}”</p>
      {request.x402 && <X402Details x402={request.x402} />}
      {request.payout && <PayoutDetails payout={request.payout} />}
      {pending && <ImpactBar request={request} />}
      <p className={over || blocked ? 'impact warn' : 'impact'}>{impactText(request)}</p>
      {request.owner_comment && (
        <p className="comment">Your note: {visible(request.owner_comment)}</p>
      )}
      {pending && confirming === request.id && (
        <div className="confirm" role="alertdialog" aria-label="Confirm approving over budget">
          <span>
            Approve {formatCents(request.amount_cents)} and go over the budget by{' '}
            {formatCents(request.impact?.over_by_cents ?? 0)}?
          </span>
          <button autoFocus onClick={() => void confirmOverride(request, comment.note)}>
            Yes, approve over budget
          </button>
          <button className="secondary" onClick={cancelConfirm}>
            Cancel
          </button>
        </div>
      )}
      {pending && (
        <DecisionActions
          comment={comment}
          busy={busy === request.id}
          yes={{
            label: over ? 'Approve over budget…' : 'Approve',
            disabled: blocked,
            onClick: () => void approve(request, comment.note),
          }}
          no={{ label: 'Decline', onClick: () => void decline(request.id, comment.note) }}
        />
      )}
      <footer>
        <code>{request.id}</code> ·{' '}
        <time dateTime={request.created_at} title={new Date(request.created_at).toLocaleString()}>
          {ageText(request.created_at, now)}
        </time>
        {request.expires_at && pending && (
          <>
            {' · '}
            <time
              dateTime={request.expires_at}
              className={expiresSoon(request.expires_at, now) ? 'when soon' : 'when'}
              title={new Date(request.expires_at).toLocaleString()}
            >
              {expiryText(request.expires_at, now)}
            </time>
          </>
        )}
      </footer>
    </article>
  );
}
