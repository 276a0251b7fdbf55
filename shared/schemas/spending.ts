/**
 * `GET /admin/v1/spending`: what was spent over a range of time, by agent, merchant,
 * category or rail, with the spend attempts declined and refused, and a series per bucket
 * for the chart (docs/spending.md). Every figure is a sum over the ledger's entries in the
 * range, the same entries the ledger's export gives for the same `from` and `to`. Money is
 * exact: integer micro-dollars as decimal strings.
 */
import { z } from 'zod';
import { MODES } from '../domain';
import { rangeProblem, SPENDING_BUCKETS, SPENDING_GROUPS } from '../spending';

export const spendingQuery = z
  .strictObject({
    /** Inclusive, ISO 8601 with an offset, as the ledger's `from`. */
    from: z.iso.datetime({ offset: true }),
    /** Exclusive, as the ledger's `to`. */
    to: z.iso.datetime({ offset: true }),
    group_by: z.enum(SPENDING_GROUPS).default('agent'),
    bucket: z.enum(SPENDING_BUCKETS).default('day'),
    /** One mode's entries only; both when absent. */
    mode: z.enum(MODES).optional(),
  })
  .superRefine((q, ctx) => {
    const problem = rangeProblem({ from: Date.parse(q.from), to: Date.parse(q.to) }, q.bucket);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, path: ['to'] });
  });

/** What one group (or all of them) did in the range. */
export const spendingFigures = z.object({
  /**
   * The sum of `counted_micros` of its entries in the range: approvals and receipts add,
   * settlements and releases subtract (docs/ledger-format.md). May be negative where a
   * range holds a release and not what it releases.
   */
  spent_micros: z.string(),
  /** `spend.approved` entries: by policy, or by the owner. */
  approved: z.int(),
  /** `spend.declined` entries: by policy, or by the owner. */
  declined: z.int(),
  /** `spend.refused` entries: attempts stopped by a funding limit, the global cap or a balance. */
  refused: z.int(),
  /** What the declined attempts asked for. */
  declined_micros: z.string(),
  /** What the refused attempts asked for. */
  refused_micros: z.string(),
});

export const spendingGroupView = spendingFigures.extend({
  /** The agent id, merchant, category or rail; null for entries that name none. */
  key: z.string().nullable(),
  /** The agent's name when grouped by agent; otherwise null. */
  name: z.string().nullable(),
});

export const spendingSeriesView = z.object({
  key: z.string().nullable(),
  name: z.string().nullable(),
  /** The groups past the first few, together. */
  other: z.boolean(),
  /** What it spent in each bucket, in the buckets' order. */
  spent_micros: z.array(z.string()),
});

export const spendingView = z.object({
  from: z.string(),
  to: z.string(),
  group_by: z.enum(SPENDING_GROUPS),
  bucket: z.enum(SPENDING_BUCKETS),
  mode: z.enum(MODES).nullable(),
  /** The owner's time zone, in which buckets start at the hour or midnight. */
  time_zone: z.string(),
  total: spendingFigures,
  /** Every group with an entry in the range: the most spent first. */
  groups: z.array(spendingGroupView),
  buckets: z.array(z.object({ start: z.string(), end: z.string() })),
  /** The groups that spent the most, each over the buckets, then the rest as one ("other"). */
  series: z.array(spendingSeriesView),
  as_of: z.string(),
});
export type SpendingView = z.infer<typeof spendingView>;
