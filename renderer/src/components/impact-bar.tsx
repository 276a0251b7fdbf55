import { formatCents } from '../../../shared/money';
import type { OwnerSpendView } from '../../../shared/schemas/owner-api';

/**
 * What approving does to the budget, drawn: spent before, this request, and what would go
 * over. The words beside it say the same, for screen readers and colour-blind owners.
 */
export function ImpactBar({ request }: { request: OwnerSpendView }) {
  const i = request.impact;
  if (!i || i.budget_cents <= 0) return null;
  const scale = Math.max(i.budget_cents, i.spent_after_cents);
  const pct = (cents: number) => `${Math.min(100, (cents / scale) * 100)}%`;
  const before = Math.min(i.spent_cents, i.budget_cents);
  const within = Math.max(0, Math.min(i.spent_after_cents, i.budget_cents) - before);
  const over = Math.max(0, i.spent_after_cents - Math.max(i.budget_cents, i.spent_cents));
  return (
    <div
      className="impact-bar"
      role="img"
      aria-label={`Before: ${formatCents(i.spent_cents)} of ${formatCents(i.budget_cents)}; after approving: ${formatCents(i.spent_after_cents)}`}
    >
      <div className="impact-track">
        <span className="impact-before" style={{ width: pct(before) }} />
        <span className="impact-this" style={{ width: pct(within) }} />
        <span className="impact-over" style={{ width: pct(over) }} />
        <span className="impact-limit" style={{ left: pct(i.budget_cents) }} />
      </div>
      <span className="impact-legend">
        {formatCents(i.spent_cents)} → {formatCents(i.spent_after_cents)} of{' '}
        {formatCents(i.budget_cents)} {i.period}
      </span>
    </div>
  );
}
