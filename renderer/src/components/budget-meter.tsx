import { formatCents } from '../../../shared/money';
import type { AgentView } from '../../../shared/schemas/owner-api';

/** Spent this period against the budget, as a bar and in words. */
export function BudgetMeter({ budget }: { budget: AgentView['budget'] }) {
  const ratio =
    // No budget is an empty bar (nothing may be spent), never a full green one; anything
    // spent against it is all over budget.
    budget.budget_cents === 0
      ? budget.spent_cents > 0
        ? 1
        : 0
      : Math.min(1, budget.spent_cents / budget.budget_cents);
  return (
    <div
      className="meter"
      aria-label={`${formatCents(budget.spent_cents)} of ${formatCents(budget.budget_cents)} spent`}
    >
      <div className="meter-bar">
        <div
          className={budget.over_budget ? 'meter-fill over' : 'meter-fill'}
          style={{ width: `${ratio * 100}%` }}
        />
      </div>
      <span>
        {formatCents(budget.spent_cents)} of {formatCents(budget.budget_cents)} {budget.period}
      </span>
    </div>
  );
}
