import { formatCents } from '../../../shared/money';
import { useState } from 'react';
import { visible } from '../../../shared/text/visible';
import { useApprovals } from '../stores/approvals';
import type { ReceiptReview } from '../stores/approvals-state';

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
  const [comment, setComment] = useState('');
  const text = claimText(receipt);
  const note = comment.trim() || undefined;
  return (
    <article className="card" data-receipt-id={receipt.id} aria-label={`Receipt ${receipt.id}`}>
      <header>
        <strong>{visible(receipt.agent_name)}</strong> {text.claim}
        <span className="status pending">receipt to review</span>
      </header>
      <p className="impact">
        {text.accept} {text.dispute}
      </p>
      <div className="actions">
        <input
          aria-label="Comment"
          placeholder="Comment (optional)"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <button
          disabled={busy === receipt.id}
          onClick={() => void review(receipt.id, 'accept', note)}
        >
          Accept
        </button>
        <button
          className="secondary"
          disabled={busy === receipt.id}
          onClick={() => void review(receipt.id, 'dispute', note)}
        >
          Dispute
        </button>
      </div>
    </article>
  );
}
