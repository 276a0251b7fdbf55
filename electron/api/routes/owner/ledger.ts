import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  ledgerEntryView as entrySchema,
  ledgerQuery,
  verifyView,
} from '../../../../shared/schemas/owner-api';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { csvHeader, csvLine } from '../../../core/ledger/export';
import type { LedgerRow } from '../../../core/ledger/ledger';
import { LedgerQuery, type LedgerFilter } from '../../../core/ledger/ledger-query';
import type { RouteContext, ZodApp } from '../../context';
import { ledgerEntryView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

function toFilter(q: z.infer<typeof ledgerQuery>): LedgerFilter {
  return {
    agentId: q.agent_id,
    type: q.type,
    status: q.status,
    merchant: q.merchant,
    rail: q.rail,
    from: q.from === undefined ? undefined : Date.parse(q.from),
    to: q.to === undefined ? undefined : Date.parse(q.to),
    beforeSeq: q.before_seq,
  };
}

/**
 * An entry as the JSON export writes it. The CSV calls the time `time`, the name a
 * spreadsheet's header row wants, and the JSON export uses the same name so that a script
 * reads either file alike; `ts`, the owner API's name for it, stays beside it so that code
 * written against the ledger pages reads an export unchanged.
 */
function exportEntry(row: LedgerRow) {
  const { seq, ...entry } = ledgerEntryView(row);
  return { seq, time: entry.ts, ...entry };
}

/** The ledger for the owner: pages, export, chain verification. */
export function ownerLedgerRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const query = new LedgerQuery(wallet.deps.db);

  app.get(
    '/admin/v1/ledger',
    {
      config: owner,
      schema: {
        hide: true,
        querystring: ledgerQuery,
        response: {
          200: z.object({ entries: z.array(entrySchema), next_before_seq: z.int().nullable() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const limit = Math.min(request.query.limit ?? 100, 1000);
      const rows = query.page(toFilter(request.query), limit);
      const last = rows.at(-1);
      return {
        entries: rows.map(ledgerEntryView),
        next_before_seq: rows.length === limit && last ? last.seq : null,
      };
    },
  );

  app.get(
    '/admin/v1/ledger/export',
    {
      config: owner,
      schema: {
        hide: true,
        querystring: ledgerQuery.extend({ format: z.enum(['csv', 'json']).default('json') }),
      },
    },
    async (request, reply) => {
      const { format, ...q } = request.query;
      const rows = query.all(toFilter(q));
      reply.header('Cache-Control', 'no-store');
      if (format === 'csv') {
        reply.type('text/csv; charset=utf-8');
        return reply.send(
          Readable.from(
            (function* () {
              yield csvHeader();
              for (const row of rows) yield csvLine(row);
            })(),
          ),
        );
      }
      // JSON Lines would be easier to stream, but a JSON array is what people expect to open.
      reply.type('application/json; charset=utf-8');
      return reply.send(
        Readable.from(
          (function* () {
            yield '[';
            let first = true;
            for (const row of rows) {
              yield `${first ? '' : ','}\n${JSON.stringify(exportEntry(row))}`;
              first = false;
            }
            yield '\n]\n';
          })(),
        ),
      );
    },
  );

  app.post(
    '/admin/v1/ledger/verify',
    { config: owner, schema: { hide: true, response: { 200: verifyView } } },
    async () => {
      const result = await wallet.deps.ledger.verifyInBackground();
      return {
        ok: result.ok,
        entries: result.entries,
        head_seq: result.headSeq,
        head_hash: result.headHash,
        first_bad: result.firstBad ?? null,
      };
    },
  );
}
