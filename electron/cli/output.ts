import { InvalidArgumentError } from 'commander';
import { formatCents } from '../../shared/money';
import { visible } from '../../shared/text/visible';

export { visible };

/**
 * Prints `data` as JSON under --json, else the human text.
 *
 * The human text goes to a terminal, so every string an agent (or anyone) chose passes
 * through visible() where the lines are built. The JSON is left as JSON.stringify writes
 * it: that escapes C0 controls, quotes and backslashes but not DEL, C1, bidi or zero-width
 * characters. That is acceptable for machine output: a program reads the exact strings,
 * and escaping them here would change the data it gets.
 */
export function emit(json: boolean, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** Cents as a person reads them (shared/money.ts), a dash for none. */
export const usd = (cents: number | null | undefined) =>
  cents === null || cents === undefined ? '—' : formatCents(cents);

/**
 * `"text"` for a human: quoted so its ends show, and made visible. A quote inside is
 * escaped, so the text cannot close its quotes early and add what reads like more columns.
 */
export const quoted = (text: string) => `"${visible(text).replace(/"/g, '\\"')}"`;

/** A value on one line: text made visible, lists joined, nothing as a dash. */
function valueText(value: unknown, nested = false): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return visible(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => valueText(item, true)).join(', ');
    return nested ? `[${items}]` : items || 'none';
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${visible(k)}: ${valueText(v, true)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/**
 * An object as `key  value` lines with the values aligned; nested objects become dotted
 * keys (`global_cap.amount_cents`). Keys are made visible too: metadata keys are an
 * agent's text.
 */
export function fieldLines(data: Record<string, unknown>): string {
  const rows: Array<[string, string]> = [];
  const walk = (object: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(object)) {
      const name = `${prefix}${visible(key)}`;
      if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length)
        walk(value as Record<string, unknown>, `${name}.`);
      else rows.push([name, valueText(value)]);
    }
  };
  walk(data, '');
  const width = Math.max(0, ...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n');
}

/** Parses a whole number option, or fails with a usage error naming the option. */
export function wholeNumber(name: string) {
  return (value: string): number => {
    if (!/^\d{1,15}$/.test(value))
      throw new InvalidArgumentError(`${name} must be a whole number, got "${value}"`);
    return Number(value);
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
