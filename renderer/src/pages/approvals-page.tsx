import { useEffect } from 'react';
import { BudgetRequestCard } from '../components/budget-request-card';
import { DismissableError } from '../components/dismissable-error';
import { SpendRequestCard } from '../components/spend-request-card';
import { useApprovals } from '../stores/approvals';

/** Pending spend and budget requests, newest first; `focusId` is the one an approval_url named. */
export function ApprovalsPage({ focusId }: { focusId: string | null }) {
  const { spend, budget, focused, error, actionError, load, focus, dismiss } = useApprovals();

  // Live updates come from the one event stream the app holds (app.tsx).
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    void focus(focusId);
  }, [focus, focusId]);

  const focusedIsPending = focused !== null && spend.some((r) => r.id === focused.id);
  return (
    <section>
      <h2>Approvals</h2>
      {error && <p role="alert">{error}</p>}
      {actionError && <DismissableError message={actionError} onDismiss={dismiss} />}
      {focused && !focusedIsPending && <SpendRequestCard request={focused} focused />}
      {spend.length === 0 && budget.length === 0 && !error && (
        <p className="empty">Nothing waits for you.</p>
      )}
      {spend.map((r) => (
        <SpendRequestCard key={r.id} request={r} focused={r.id === focusId} />
      ))}
      {budget.map((r) => (
        <BudgetRequestCard key={r.id} request={r} />
      ))}
    </section>
  );
}
