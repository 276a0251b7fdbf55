import {
  LEDGER_FILTER_KEYS,
  type LedgerFilterKey,
  type LedgerFilterParams,
} from '../../../shared/ledger';

/** The Ledger page's filter: the form's values, and the query parameters they make. */

/** The filter as the form holds it: '' is "any"; `from`/`to` are `datetime-local` values. */
export type LedgerFilter = Record<LedgerFilterKey, string>;

export const EMPTY_FILTER: LedgerFilter = {
  agent_id: '',
  type: '',
  status: '',
  merchant: '',
  rail: '',
  from: '',
  to: '',
};

/**
 * The filter as query parameters: empty fields left out, text trimmed, `datetime-local`
 * times (the window's local time) as ISO 8601 in UTC. A time that does not parse is left out.
 */
export function filterParams(filter: LedgerFilter): LedgerFilterParams {
  const params: LedgerFilterParams = {};
  for (const key of LEDGER_FILTER_KEYS) {
    const value = filter[key].trim();
    if (value === '') continue;
    if (key === 'from' || key === 'to') {
      const ms = new Date(value).getTime();
      if (Number.isFinite(ms)) params[key] = new Date(ms).toISOString();
    } else {
      params[key] = value;
    }
  }
  return params;
}

export const isFiltered = (filter: LedgerFilter) => Object.keys(filterParams(filter)).length > 0;
