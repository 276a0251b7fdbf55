import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { RAILS } from '../../../../shared/domain';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { receiptView as receiptSchema } from '../../../../shared/schemas/receipts';
import type { Db } from '../../../core/db/types';
import type { ReceiptRecord } from '../../../core/receipts/receipt-repository';
import type { RouteContext, ZodApp } from '../../context';
import { receiptView } from '../../views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

/** What the owner sees of a receipt: the agent's view, plus whose it is and its metadata. */
const ownerReceiptSchema = receiptSchema.extend({
  agent_id: z.string(),
  agent_name: z.string(),
  key_id: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

const receiptsQuery = z.strictObject({
  agent_id: z.string().max(64).optional(),
  rail: z.enum(RAILS).optional(),
  over_budget: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Page backwards: receipts older than this one. */
  before: z.string().max(64).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .optional(),
});

interface ReceiptFilter {
  agentId?: string;
  rail?: string;
  overBudget?: 0 | 1;
  /** Inclusive lower bound, ms. */
  from?: number;
  /** Exclusive upper bound, ms. */
  to?: number;
  before?: string;
}

/** Each filter is a fixed clause with a parameter; no identifier ever comes from input. */
const CLAUSES: Record<keyof ReceiptFilter, string> = {
  agentId: 'agent_id = @agentId',
  rail: 'rail = @rail',
  overBudget: 'over_budget = @overBudget',
  from: 'created_at >= @from',
  to: 'created_at < @to',
  // Ids start with their creation time, so id order is creation order and a stable cursor.
  before: 'id < @before',
};

/**
 * The ids of matching receipts, newest first. Only ids: the repository turns each into a
 * record, so this listing and every other read of a receipt cannot drift apart.
 */
class ReceiptIds {
  private readonly statements = new Map<
    string,
    Statement<[Record<string, unknown>], { id: string }>
  >();

  constructor(private readonly db: Db) {}

  page(filter: ReceiptFilter, limit: number): string[] {
    const used = (Object.keys(CLAUSES) as Array<keyof ReceiptFilter>).filter(
      (k) => filter[k] !== undefined,
    );
    const key = used.join(',');
    let stmt = this.statements.get(key);
    if (!stmt) {
      const where = used.length > 0 ? `WHERE ${used.map((k) => CLAUSES[k]).join(' AND ')}` : '';
      stmt = this.db.prepare(`SELECT id FROM receipts ${where} ORDER BY id DESC LIMIT @limit`);
      this.statements.set(key, stmt);
    }
    const params = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    return stmt.all({ ...params, limit }).map((row) => row.id);
  }
}

/** Receipts for the owner: payments agents reported making elsewhere, newest first. */
export function ownerReceiptRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const { deps } = wallet;
  const ids = new ReceiptIds(deps.db);
  const view = (r: ReceiptRecord) => ({
    ...receiptView(r),
    agent_id: r.agentId,
    agent_name: deps.agents.get(r.agentId)?.name ?? r.agentId,
    key_id: r.keyId,
    metadata: r.metadata,
  });

  app.get(
    '/admin/v1/receipts',
    {
      config: owner,
      schema: {
        hide: true,
        querystring: receiptsQuery,
        response: {
          200: z.object({
            receipts: z.array(ownerReceiptSchema),
            next_before: z.string().nullable(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
      const page = ids.page(
        {
          agentId: q.agent_id,
          rail: q.rail,
          overBudget: q.over_budget === undefined ? undefined : q.over_budget ? 1 : 0,
          from: q.from === undefined ? undefined : Date.parse(q.from),
          to: q.to === undefined ? undefined : Date.parse(q.to),
          before: q.before,
        },
        limit,
      );
      const receipts = page.flatMap((id) => {
        const record = deps.receipts.get(id);
        return record ? [view(record)] : [];
      });
      return {
        receipts,
        next_before: page.length === limit ? (page.at(-1) ?? null) : null,
      };
    },
  );
}
