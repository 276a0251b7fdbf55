import type { z } from 'zod';
import type { spendingView } from '../../../../shared/schemas/spending';
import { toIso } from '../../../core/clock';
import type { Figures, Spending } from '../../../core/spending/spending-service';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';

type SpendingAnswer = z.input<typeof spendingView>;

const figuresOut = (f: Figures) => ({
  spent_micros: f.spent.toString(),
  approved: f.approved,
  declined: f.declined,
  refused: f.refused,
  declined_micros: f.declinedAmount.toString(),
  refused_micros: f.refusedAmount.toString(),
});

/** `GET /admin/v1/spending`: the ledger's sums over a range (docs/spending.md). */
export function ownerSpendingHandlers({ wallet }: RouteContext): OwnerHandlerGroup<'spending'> {
  return {
    spending: ({ query, reply }) => {
      // Figures of the moment: a cached copy would miss what was spent since.
      reply.header('Cache-Control', 'no-store');
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      const mode = query.mode ?? null;
      const s: Spending = wallet.spending.read({
        range: { from, to },
        group: query.group_by,
        bucket: query.bucket,
        mode,
      });
      const nameOf = (key: string | null) =>
        query.group_by === 'agent' && key !== null ? wallet.agents.nameOf(key) : null;
      const answer: SpendingAnswer = {
        from: toIso(from),
        to: toIso(to),
        group_by: query.group_by,
        bucket: query.bucket,
        mode,
        time_zone: s.timeZone,
        total: figuresOut(s.total),
        groups: s.groups.map((g) => ({ key: g.key, name: nameOf(g.key), ...figuresOut(g) })),
        buckets: s.buckets.map((b) => ({ start: toIso(b.from), end: toIso(b.to) })),
        series: s.series.map((line) => ({
          key: line.key,
          name: line.other ? null : nameOf(line.key),
          other: line.other,
          spent_micros: line.spent.map((m) => m.toString()),
        })),
        as_of: toIso(s.asOf),
      };
      return answer;
    },
  };
}
