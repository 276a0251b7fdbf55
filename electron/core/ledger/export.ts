import type { LedgerRow } from './ledger';
import { toIso } from '../clock';

export const CSV_COLUMNS = [
  'seq',
  'time',
  'type',
  'actor',
  'mode',
  'agent_id',
  'object_id',
  'amount_micros',
  'counted_micros',
  'status',
  'merchant',
  'rail',
  'data',
  'prev_hash',
  'hash',
] as const;

/**
 * A CSV field. Text an agent chose (a merchant name, a reason inside data) could start with
 * `=`, `+`, `-` or `@` and run as a formula in a spreadsheet; such text gets a leading
 * apostrophe. Numbers are never touched.
 */
function field(value: string | number | null, text: boolean): string {
  if (value === null) return '';
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(r: LedgerRow): string {
  return (
    [
      field(r.seq, false),
      field(toIso(r.ts), false),
      field(r.type, true),
      field(r.actor, true),
      field(r.mode, true),
      field(r.agentId, true),
      field(r.objectId, true),
      field(r.amount === null ? null : r.amount.toString(), false),
      field(r.counted.toString(), false),
      field(r.status, true),
      field(r.merchant, true),
      field(r.rail, true),
      field(r.data, true),
      field(r.prevHash.toString('hex'), false),
      field(r.hash.toString('hex'), false),
    ].join(',') + '\r\n'
  );
}
