import { useCallback, useEffect, useMemo } from 'react';
import { visible } from '../../../shared/text/visible';
import { DismissableError } from '../components/dismissable-error';
import { LedgerDetails } from '../components/ledger-details';
import { LedgerExport } from '../components/ledger-export';
import { LedgerFilters } from '../components/ledger-filters';
import { LedgerTable } from '../components/ledger-table';
import { LedgerVerify } from '../components/ledger-verify';
import { useLedger } from '../stores/ledger';
import { atEnd, knownRows } from '../stores/ledger-window';
import './ledger-page.css';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Ledger: every entry, newest first, read from the server a page at a time as the table
 * scrolls; filters, an export of what they select, and the hash chain's verification.
 */
export function LedgerPage() {
  const open = useLedger((s) => s.open);
  const close = useLedger((s) => s.close);
  const agents = useLedger((s) => s.agents);
  const w = useLedger((s) => s.window);
  const refresh = useLedger((s) => s.refresh);
  const actionError = useLedger((s) => s.actionError);
  const dismiss = useLedger((s) => s.dismiss);

  useEffect(() => {
    open();
    return close;
  }, [open, close]);

  const names = useMemo(() => new Map(agents.map((a) => [a.id, visible(a.name)])), [agents]);
  const nameOf = useCallback(
    (agentId: string | null) => (agentId === null ? '' : (names.get(agentId) ?? agentId)),
    [names],
  );
  const known = knownRows(w);

  return (
    <section className="ledger-page" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Ledger</h2>
      <p className="hint">
        Every entry Purser wrote, newest first, each chained to the one before it by its hash.
      </p>
      {actionError && <DismissableError message={actionError} onDismiss={dismiss} />}
      <LedgerFilters agents={agents} />
      <div className="ledger-toolbar">
        <LedgerExport />
        <LedgerVerify />
      </div>
      {w.error && (
        <p role="alert" className="banner error">
          Could not read the ledger: {w.error}{' '}
          <button type="button" onClick={refresh}>
            Retry
          </button>
        </p>
      )}
      {w.newer && (
        <p role="status" className="banner warn ledger-newer">
          Newer entries match.{' '}
          <button type="button" onClick={refresh}>
            Show newest
          </button>
        </p>
      )}
      <LedgerTable nameOf={nameOf} />
      <p className="ledger-count" aria-live="polite">
        {w.pending && w.pages.length === 0
          ? 'Loading…'
          : atEnd(w)
            ? `${count(known)} ${known === 1 ? 'entry' : 'entries'}: the end of the ledger.`
            : `${count(known)} entries read so far; scroll for older ones.`}
      </p>
      <LedgerDetails nameOf={nameOf} />
    </section>
  );
}
