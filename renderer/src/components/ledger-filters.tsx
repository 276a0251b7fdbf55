import { useEffect, useId, useState, type ReactNode } from 'react';
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

type ListName = 'agent_id' | 'type' | 'rail';
/** The filters picked from a list: the end of the control's id, its label, and "any". */
const LISTS: Record<ListName, { suffix: string; label: string; any: string }> = {
  agent_id: { suffix: 'agent', label: 'Agent', any: 'All agents' },
  type: { suffix: 'kind', label: 'Kind', any: 'All kinds' },
  rail: { suffix: 'rail', label: 'Rail', any: 'All rails' },
};

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
      <ListFilter
        formId={id}
        name="agent_id"
        options={agents.map((a) => [a.id, visible(a.name)])}
      />
      <ListFilter formId={id} name="type" options={LEDGER_TYPES.map((t) => [t, t])} />
      <Field id={`${id}-status`} label="Status">
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
      </Field>
      <Field id={`${id}-merchant`} label="Merchant">
        <input
          id={`${id}-merchant`}
          type="search"
          value={merchant}
          maxLength={253}
          placeholder="any"
          title="The merchant name, exactly, in any case"
          onChange={(e) => setMerchant(e.target.value)}
        />
      </Field>
      <ListFilter formId={id} name="rail" options={RAILS.map((r) => [r, r])} />
      <TimeFilter formId={id} name="from" label="From" />
      <TimeFilter formId={id} name="to" label="Until" />
      <button type="button" className="secondary" onClick={clear} disabled={!isFiltered(filter)}>
        Clear filters
      </button>
    </form>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="ledger-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/** A filter picked from `options` (value, text), after "any" (''); applied at once. */
function ListFilter({
  formId,
  name,
  options,
}: {
  formId: string;
  name: ListName;
  options: readonly (readonly [value: string, text: string])[];
}) {
  const value = useLedger((s) => s.window.filter[name]);
  const setFilter = useLedger((s) => s.setFilter);
  const { suffix, label, any } = LISTS[name];
  const id = `${formId}-${suffix}`;
  return (
    <Field id={id} label={label}>
      <select id={id} value={value} onChange={(e) => setFilter({ [name]: e.target.value })}>
        <option value="">{any}</option>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** One end of the time range, in the window's local time; applied at once. */
function TimeFilter({
  formId,
  name,
  label,
}: {
  formId: string;
  name: 'from' | 'to';
  label: string;
}) {
  const value = useLedger((s) => s.window.filter[name]);
  const setFilter = useLedger((s) => s.setFilter);
  const id = `${formId}-${name}`;
  return (
    <Field id={id} label={label}>
      <input
        id={id}
        type="datetime-local"
        value={value}
        onChange={(e) => setFilter({ [name]: e.target.value })}
      />
    </Field>
  );
}
