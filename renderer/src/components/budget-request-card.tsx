import { formatCents } from '../../../shared/money';
import { useState } from 'react';
import { visible } from '../../../shared/text/visible';
import type { OwnerBudgetRequestView } from '../../../shared/schemas/owner-api';
import { api } from '../api/client';
import { useApprovals } from '../stores/approvals';
import { centsToDollars, dollarsToCents } from '../stores/policy-draft';
import { DecisionActions, useComment } from './decision-actions';

export function BudgetRequestCard({ request }: { request: OwnerBudgetRequestView }) {
  const { act, busy } = useApprovals();
  const [dollars, setDollars] = useState(centsToDollars(request.requested_amount_cents));
  const [hours, setHours] = useState('24');
  const comment = useComment();
  // From the digits, never through a float: "1e2", "0x10" and "120.005" are refused, not
  // read as $100, $16 or $120.01 (the policy form parses the same way).
  const cents = dollarsToCents(dollars);
  // Hours as the API takes them (a positive number): "6", "0.5"; not "1e3" or "0x10".
  const windowHours = /^\d{1,5}(\.\d{1,2})?$/.test(hours.trim())
    ? Number(hours.trim())
    : Number.NaN;
  const valid = Number.isSafeInteger(cents) && cents > 0 && windowHours > 0;
  return (
    <article
      className="card"
      data-budget-request-id={request.id}
      aria-label={`Budget request ${request.id}`}
    >
      <header>
        <strong>{visible(request.agent_name)}</strong> asks for a budget of{' '}
        <strong>{formatCents(request.requested_amount_cents)}</strong>
        <span className="status pending">budget request</span>
      </header>
      <p className="reason">
        “{visible(request.purpose)}”{request.category && ` · ${visible(request.category)}`}
      </p>
      <DecisionActions
        comment={comment}
        busy={busy === request.id}
        yes={{
          label: 'Approve',
          disabled: !valid,
          onClick: () =>
            void act(request.id, () =>
              api.call('approveBudgetRequest', {
                params: { id: request.id },
                body: { amount_cents: cents, hours: windowHours, comment: comment.note },
              }),
            ),
        }}
        no={{
          label: 'Reject',
          onClick: () =>
            void act(request.id, () =>
              api.call('rejectBudgetRequest', {
                params: { id: request.id },
                body: { reason: comment.note },
              }),
            ),
        }}
      >
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
      </DecisionActions>
      <footer>
        <code>{request.id}</code> · expires {new Date(request.expires_at).toLocaleString()}
      </footer>
    </article>
  );
}
