import { useEffect } from 'react';
import { ApprovalGroupSection } from '../components/approval-group';
import { DismissableError } from '../components/dismissable-error';
import { SpendRequestCard } from '../components/spend-request-card';
import { useApprovals } from '../stores/approvals';
import { pendingSpends, type ApprovalGroup } from '../stores/approvals-state';
import { visible } from '../../../shared/text/visible';

/** How many things of one agent wait, in one number. */
const waitingIn = (g: ApprovalGroup) =>
  g.pending_count + (g.budget_request ? 1 : 0) + g.review_count;

/** Pending spend and budget requests, newest first; `focusId` is the one an approval_url named. */
/**
 * j/k (or the arrows) move between pending spend requests, a approves the selected one
 * (over budget, it asks first), d declines it, Escape cancels a confirmation. Keys typed
 * into a field are the field's.
 */
function useApprovalShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const s = useApprovals.getState();
      const current = pendingSpends(s.queue).find((r) => r.id === s.selected);
      if (e.key === 'j' || e.key === 'ArrowDown') s.move(1);
      else if (e.key === 'k' || e.key === 'ArrowUp') s.move(-1);
      else if (e.key === 'a' && current) void s.approve(current);
      else if (e.key === 'd' && current) void s.decline(current.id);
      else if (e.key === 'Escape') s.cancelConfirm();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function ApprovalsPage({ focusId }: { focusId: string | null }) {
  const { queue, focused, error, actionError, load, focus, dismiss } = useApprovals();
  useApprovalShortcuts();

  // Live updates come from the one event stream the app holds (app.tsx).
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    void focus(focusId);
  }, [focus, focusId]);

  const spends = pendingSpends(queue);
  const focusedIsPending = focused !== null && spends.some((r) => r.id === focused.id);
  const { counts } = queue;
  const summary = [
    counts.spend_requests > 0 && `${counts.spend_requests} pending`,
    counts.budget_requests > 0 && `${counts.budget_requests} budget`,
    counts.receipt_reviews > 0 &&
      `${counts.receipt_reviews} receipt${counts.receipt_reviews === 1 ? '' : 's'} to review`,
  ].filter(Boolean);
  return (
    <section>
      <h2>
        Approvals {summary.length > 0 && <span className="page-counts">{summary.join(' · ')}</span>}
      </h2>
      {error && <p role="alert">{error}</p>}
      {actionError && <DismissableError message={actionError} onDismiss={dismiss} />}
      {focused && !focusedIsPending && <SpendRequestCard request={focused} focused />}
      {queue.groups.length === 0 && !error && (
        <p className="empty">
          Nothing waits for you. When an agent asks for more than its policy allows on its own, the
          request appears here, and on your desktop as a notification.
        </p>
      )}
      {spends.length > 0 && (
        <p className="shortcuts">
          Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> approve, <kbd>d</kbd> decline,{' '}
          <kbd>Esc</kbd> cancel.
        </p>
      )}
      {queue.groups.length > 1 && (
        <nav className="group-jump" aria-label="Waiting, by agent">
          {queue.groups.map((g) => (
            <button
              key={g.agent_id}
              className="secondary"
              onClick={() =>
                document
                  .querySelector(`[data-agent-id="${CSS.escape(g.agent_id)}"]`)
                  ?.scrollIntoView({ behavior: 'smooth', block: 'start' })
              }
            >
              {visible(g.agent_name)} · {waitingIn(g)}
            </button>
          ))}
        </nav>
      )}
      {queue.groups.map((g) => (
        <ApprovalGroupSection key={g.agent_id} group={g} focusId={focusId} />
      ))}
    </section>
  );
}
