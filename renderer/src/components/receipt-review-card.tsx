import { formatCents } from '../../../shared/money';
import { visible } from '../../../shared/text/visible';
import { useApprovals } from '../stores/approvals';
import type { ReceiptReview } from '../stores/approvals-state';
import { DecisionActions, useComment } from './decision-actions';

/** What accepting or disputing a receipt's claim does, in one sentence each. */
function claimText(r: ReceiptReview): { claim: string; accept: string; dispute: string } {
  const amount = formatCents(r.review?.amount_cents ?? 0);
  if (r.review?.kind === 'settled_for_less')
    return {
      claim: `says ${visible(r.spend_request_id ?? 'its request')} cost ${formatCents(r.amount_cents)}, ${amount} less than approved`,
      accept: `Accepting settles it for ${formatCents(r.amount_cents)}: ${amount} goes back to its budget and funding.`,
      dispute: 'Disputing keeps the request counted in full.',
    };
  return {
    claim: `reported paying ${formatCents(r.amount_cents)} at ${visible(r.merchant_name)}; ${amount} of it is more than it could spend on its own`,
    accept: `Accepting counts that ${amount} against the funding and cap it shares with other agents.`,
    dispute: 'Disputing leaves them as they are; the agent’s own budget counts it either way.',
  };
}

/**
 * A receipt whose claim waits for the owner (docs/money-integrity.md): a part beyond what
 * the agent could spend alone, or a settlement for less than its request.
 */
export function ReceiptReviewCard({ receipt }: { receipt: ReceiptReview }) {
  const { busy, review } = useApprovals();
  const comment = useComment();
  const text = claimText(receipt);
  return (
    <article className="card" data-receipt-id={receipt.id} aria-label={`Receipt ${receipt.id}`}>
      <header>
        <strong>{visible(receipt.agent_name)}</strong> {text.claim}
        <span className="status pending">receipt to review</span>
      </header>
      <p className="impact">
        {text.accept} {text.dispute}
      </p>
      <DecisionActions
        comment={comment}
        busy={busy === receipt.id}
        yes={{ label: 'Accept', onClick: () => void review(receipt.id, 'accept', comment.note) }}
        no={{ label: 'Dispute', onClick: () => void review(receipt.id, 'dispute', comment.note) }}
      />
    </article>
  );
}
