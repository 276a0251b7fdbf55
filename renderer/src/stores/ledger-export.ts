import { isFiltered, type LedgerFilter } from './ledger-filter';

/** Saves a blob as a download, the way a link with `download` does. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `purser-ledger-20260314-100000.csv`, with `-filtered` when a filter is on. */
export function exportName(filter: LedgerFilter, format: 'csv' | 'json', at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `purser-ledger${isFiltered(filter) ? '-filtered' : ''}-${stamp}.${format}`;
}
