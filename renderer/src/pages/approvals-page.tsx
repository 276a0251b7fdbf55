import { useEffect } from 'react';
import { api } from '../api/client';
import { BudgetRequestCard } from '../components/budget-request-card';
import { SpendRequestCard } from '../components/spend-request-card';
import { useApprovals } from '../stores/approvals';

/** Pending spend and budget requests, newest first; `focusId` is the one an approval_url named. */
export function ApprovalsPage({ focusId }: { focusId: string | null }) {
  const { spend, budget, focused, error, load, focus, apply } = useApprovals();

  useEffect(() => {
    void load();
    return api.events(apply);
  }, [load, apply]);

  useEffect(() => {
    void focus(focusId);
  }, [focus, focusId]);

  const focusedIsPending = focused !== null && spend.some((r) => r.id === focused.id);
  return (
    <section>
      <h2>Approvals</h2>
      {error && <p role="alert">{error}</p>}
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
