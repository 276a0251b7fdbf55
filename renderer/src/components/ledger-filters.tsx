import { useEffect, useId, useState } from 'react';
import { RAILS } from '../../../shared/domain';
import { LEDGER_TYPES } from '../../../shared/ledger';
import { visible } from '../../../shared/text/visible';
import { useLedger, type LedgerAgent } from '../stores/ledger';
import { isFiltered } from '../stores/ledger-filter';

/** Statuses entries record (docs/ledger-format.md), offered as suggestions; any text works. */
const STATUSES = [
  'approved',
  'declined',
  'needs_approval',
  'expired',
  'cancelled',
  'pending',
  'rejected',
  'exhausted',
  'recorded',
  'over_budget',
  'confirmed',
  'matched',
  'flagged',
  'signed',
  'settled',
  'released',
  'active',
  'paused',
];

/** Typing waits this long before the filter is applied. */
const TYPING_MS = 250;

/**
 * The ledger's filters: agent, kind, status, merchant, rail and a time range. Lists apply at
 * once; typed text once typing pauses.
 */
export function LedgerFilters({ agents }: { agents: LedgerAgent[] }) {
  const filter = useLedger((s) => s.window.filter);
  const setFilter = useLedger((s) => s.setFilter);
  const clearFilter = useLedger((s) => s.clearFilter);
  const [status, setStatus] = useState(filter.status);
  const [merchant, setMerchant] = useState(filter.merchant);

  useEffect(() => {
    const timer = setTimeout(() => setFilter({ status, merchant }), TYPING_MS);
    return () => clearTimeout(timer);
  }, [status, merchant, setFilter]);

  const clear = () => {
    setStatus('');
    setMerchant('');
    clearFilter();
  };

  const id = useId();
  return (
    <form
      className="ledger-filters"
      role="search"
      aria-label="Filter the ledger"
      onSubmit={(e) => {
        e.preventDefault();
        setFilter({ status, merchant });
      }}
    >
      <div className="ledger-field">
        <label htmlFor={`${id}-agent`}>Agent</label>
        <select
          id={`${id}-agent`}
          value={filter.agent_id}
          onChange={(e) => setFilter({ agent_id: e.target.value })}
        >
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {visible(a.name)}
            </option>
          ))}
        </select>
      </div>
      <div className="ledger-field">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select
          id={`${id}-kind`}
          value={filter.type}
          onChange={(e) => setFilter({ type: e.target.value })}
        >
          <option value="">All kinds</option>
          {LEDGER_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="ledger-field">
        <label htmlFor={`${id}-status`}>Status</label>
        <input
          id={`${id}-status`}
          type="text"
          list={`${id}-statuses`}
          value={status}
          maxLength={64}
          placeholder="any"
          onChange={(e) => setStatus(e.target.value)}
        />
        <datalist id={`${id}-statuses`}>
          {STATUSES.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </div>
      <div className="ledger-field">
        <label htmlFor={`${id}-merchant`}>Merchant</label>
        <input
          id={`${id}-merchant`}
          type="search"
          value={merchant}
          maxLength={253}
          placeholder="any"
          title="The merchant name, exactly, in any case"
          onChange={(e) => setMerchant(e.target.value)}
        />
      </div>
      <div className="ledger-field">
        <label htmlFor={`${id}-rail`}>Rail</label>
        <select
          id={`${id}-rail`}
          value={filter.rail}
          onChange={(e) => setFilter({ rail: e.target.value })}
        >
          <option value="">All rails</option>
          {RAILS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div className="ledger-field">
        <label htmlFor={`${id}-from`}>From</label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          value={filter.from}
          onChange={(e) => setFilter({ from: e.target.value })}
        />
      </div>
      <div className="ledger-field">
        <label htmlFor={`${id}-to`}>Until</label>
        <input
          id={`${id}-to`}
          type="datetime-local"
          value={filter.to}
          onChange={(e) => setFilter({ to: e.target.value })}
        />
      </div>
      <button type="button" className="secondary" onClick={clear} disabled={!isFiltered(filter)}>
        Clear filters
      </button>
    </form>
  );
}
