import { useLedger } from '../stores/ledger';
import { isFiltered } from '../stores/ledger-filter';

/** Downloads what the filters select, every matching entry (not only the rows in memory). */
export function LedgerExport() {
  const exporting = useLedger((s) => s.exporting);
  const exportView = useLedger((s) => s.exportView);
  const filtered = useLedger((s) => isFiltered(s.window.filter));
  const what = filtered ? 'the filtered entries' : 'every entry';
  return (
    <div className="ledger-export" role="group" aria-label="Export">
      <button
        type="button"
        className="secondary"
        disabled={exporting !== null}
        onClick={() => void exportView('csv')}
        title={`Download ${what} as CSV`}
      >
        {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={exporting !== null}
        onClick={() => void exportView('json')}
        title={`Download ${what} as JSON`}
      >
        {exporting === 'json' ? 'Exporting…' : 'Export JSON'}
      </button>
      <span className="hint">
        {filtered ? 'Exports the filtered view.' : 'Exports every entry.'}
      </span>
    </div>
  );
}
