import { formatCents } from '../../../shared/money';
import { useState } from 'react';
import { api, messageOf } from '../api/client';
import { dollarsToCents } from '../stores/policy-draft';

/**
 * The owner settles an approved request for less: a refund, or a cheaper charge than was
 * approved. Only the owner can give money back (docs/money-integrity.md, rule 1): the
 * difference returns to the agent's budget, its funding and any grant it drew on, and the
 * ledger records it (`spend.settled`).
 */
export function SettleForLess({ requestId }: { requestId: string }) {
  const [dollars, setDollars] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  // From the digits, never through a float (policy-draft.ts).
  const cents = dollarsToCents(dollars);
  const valid = dollars.trim() !== '' && Number.isSafeInteger(cents) && cents >= 0;
  const settle = async () => {
    setBusy(true);
    try {
      const r = await api.call('settleSpend', {
        params: { id: requestId },
        body: { amount_cents: cents, comment: comment.trim() || undefined },
      });
      setOutcome(
        `Settled: ${formatCents(r.released_cents)} went back to the agent's budget and funding.`,
      );
    } catch (error) {
      setOutcome(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="settle" aria-label="Settle for less">
      <label>
        It cost in the end $
        <input
          aria-label="What it cost in the end"
          value={dollars}
          onChange={(e) => setDollars(e.target.value)}
          size={10}
        />
      </label>{' '}
      <input
        aria-label="Why"
        placeholder="Why (optional)"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />{' '}
      <button disabled={!valid || busy} onClick={() => void settle()}>
        Settle for less
      </button>
      {outcome && <p role="status">{outcome}</p>}
    </div>
  );
}
