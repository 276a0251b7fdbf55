import { InvalidArgumentError } from 'commander';

/** Prints `data` as JSON under --json, else the human text. */
export function emit(json: boolean, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

export const usd = (cents: number | null | undefined) =>
  cents === null || cents === undefined ? '—' : `$${(cents / 100).toFixed(2)}`;

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
