import { useLedger } from '../stores/ledger';
import { isFiltered } from '../stores/ledger-filter';

/** The formats the server exports (its `format` parameter), each with its button's name. */
const FORMATS = [
  ['csv', 'CSV'],
  ['json', 'JSON'],
] as const;

/** Downloads what the filters select, every matching entry (not only the rows in memory). */
export function LedgerExport() {
  const exporting = useLedger((s) => s.exporting);
  const exportView = useLedger((s) => s.exportView);
  const filtered = useLedger((s) => isFiltered(s.window.filter));
  const what = filtered ? 'the filtered entries' : 'every entry';
  return (
    <div className="ledger-export" role="group" aria-label="Export">
      {FORMATS.map(([format, name]) => (
        <button
          key={format}
          type="button"
          className="secondary"
          disabled={exporting !== null}
          onClick={() => void exportView(format)}
          title={`Download ${what} as ${name}`}
        >
          {exporting === format ? 'Exporting…' : `Export ${name}`}
        </button>
      ))}
      <span className="hint">
        {filtered ? 'Exports the filtered view.' : 'Exports every entry.'}
      </span>
    </div>
  );
}
