import type { Mode } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import {
  bucketsOf,
  type SpendingBucket,
  type SpendingGroup,
  type TimeRange,
} from '../../../shared/spending';
import type { WalletDeps } from '../wallet-deps';
import { SpendingQuery, type Figures, type GroupFigures } from './spending-query';

export type { Figures, GroupFigures } from './spending-query';

/** How many groups the chart draws on their own; the rest are drawn together as "other". */
export const SERIES_GROUPS = 6;

export interface SpendingRequest {
  range: TimeRange;
  group: SpendingGroup;
  bucket: SpendingBucket;
  mode: Mode | null;
}

export interface SpendingSeries {
  key: string | null;
  /** The groups past the first SERIES_GROUPS, together. */
  other: boolean;
  /** Per bucket, in the buckets' order. */
  spent: Micros[];
}

export interface Spending {
  timeZone: string;
  total: Figures;
  /** The most spent first, then the most attempts, then by key (entries of no key last). */
  groups: GroupFigures[];
  buckets: TimeRange[];
  series: SpendingSeries[];
  asOf: number;
}

const zero = (): Figures => ({
  spent: 0n,
  approved: 0,
  declined: 0,
  refused: 0,
  declinedAmount: 0n,
  refusedAmount: 0n,
});

function add(into: Figures, f: Figures): void {
  into.spent += f.spent;
  into.approved += f.approved;
  into.declined += f.declined;
  into.refused += f.refused;
  into.declinedAmount += f.declinedAmount;
  into.refusedAmount += f.refusedAmount;
}

const attempts = (f: Figures) => f.approved + f.declined + f.refused;

function byMostSpent(a: GroupFigures, b: GroupFigures): number {
  if (a.spent !== b.spent) return a.spent > b.spent ? -1 : 1;
  if (attempts(a) !== attempts(b)) return attempts(b) - attempts(a);
  if (a.key === b.key) return 0;
  if (a.key === null) return 1;
  if (b.key === null) return -1;
  return a.key < b.key ? -1 : 1;
}

/**
 * The Spending view (docs/spending.md): the ledger's entries in a range, summed per group
 * and per bucket. Each bucket is one indexed read of its part of the range; the groups'
 * figures are the buckets' added up, so the table and the chart are the same sums. All of
 * it is read in one snapshot.
 */
export class SpendingService {
  private readonly query: SpendingQuery;

  constructor(private readonly d: Pick<WalletDeps, 'db' | 'reads' | 'settings' | 'clock'>) {
    this.query = new SpendingQuery(d.db);
  }

  read(request: SpendingRequest): Spending {
    return this.d.reads.run(() => {
      const timeZone = this.d.settings.get().timeZone;
      const buckets = bucketsOf(request.range, request.bucket, timeZone);
      const perBucket = buckets.map((b) =>
        this.query.groups(request.group, b.from, b.to, request.mode),
      );
      const total = zero();
      const groups = new Map<string | null, GroupFigures>();
      for (const rows of perBucket) {
        for (const row of rows) {
          add(total, row);
          const group = groups.get(row.key) ?? { key: row.key, ...zero() };
          add(group, row);
          groups.set(row.key, group);
        }
      }
      const sorted = [...groups.values()].sort(byMostSpent);
      return {
        timeZone,
        total,
        groups: sorted,
        buckets,
        series: seriesOf(sorted, perBucket),
        asOf: this.d.clock.now(),
      };
    });
  }
}

/**
 * The chart's series: the SERIES_GROUPS groups that spent the most (any that spent
 * nothing in the range are left out), each over the buckets, then every other group that
 * moved money, added together as one.
 */
function seriesOf(sorted: GroupFigures[], perBucket: GroupFigures[][]): SpendingSeries[] {
  const moved = sorted.filter((g) => g.spent !== 0n);
  const shown = moved.slice(0, SERIES_GROUPS);
  const index = new Map(shown.map((g, i) => [g.key, i]));
  const series: SpendingSeries[] = shown.map((g) => ({
    key: g.key,
    other: false,
    spent: perBucket.map(() => 0n),
  }));
  const other: SpendingSeries | null =
    moved.length > SERIES_GROUPS
      ? { key: null, other: true, spent: perBucket.map(() => 0n) }
      : null;
  perBucket.forEach((rows, b) => {
    for (const row of rows) {
      const i = index.get(row.key);
      const into = i === undefined ? other : series[i];
      if (into) into.spent[b] = (into.spent[b] ?? 0n) + row.spent;
    }
  });
  return other ? [...series, other] : series;
}
