import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  ledgerEntryView as entrySchema,
  ledgerQuery,
  verifyView,
} from '../../../../shared/schemas/owner-api';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { toIso } from '../../../core/clock';
import { csvHeader, csvLine } from '../../../core/ledger/export';
import type { Ledger, LedgerRow, VerifyResult } from '../../../core/ledger/ledger';
import type { LedgerVerifyStatusView, LedgerVerifyView } from '../../../../shared/ledger';
import { LedgerQuery, type LedgerFilter } from '../../../core/ledger/ledger-query';
import type { RouteContext, ZodApp } from '../../context';
import { ledgerEntryView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

const verifyStatusView = z.object({
  run: z.int(),
  running: z.boolean(),
  checked: z.int(),
  total: z.int(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  result: verifyView.nullable(),
  error: z.string().nullable(),
});

function verifyResultView(result: VerifyResult): LedgerVerifyView {
  return {
    ok: result.ok,
    entries: result.entries,
    head_seq: result.headSeq,
    head_hash: result.headHash,
    first_bad: result.firstBad ?? null,
  };
}

/**
 * One chain verification at a time per server: a second request while one runs joins it
 * (the walk reads to the end of the chain as it is when the walk gets there, so the joined
 * answer covers the later request too). Its progress and the last result are kept for
 * `GET /admin/v1/ledger/verify`.
 */
function verifyJobs(ledger: Ledger, now: () => number) {
  const state: LedgerVerifyStatusView = {
    run: 0,
    running: false,
    checked: 0,
    total: 0,
    started_at: null,
    finished_at: null,
    result: null,
    error: null,
  };
  let running: Promise<LedgerVerifyView> | null = null;
  return {
    status: (): LedgerVerifyStatusView => ({ ...state }),
    start(): Promise<LedgerVerifyView> {
      if (running) return running;
      Object.assign(state, {
        run: state.run + 1,
        running: true,
        checked: 0,
        total: ledger.headSeq(),
        started_at: toIso(now()),
        finished_at: null,
      });
      const done = ledger
        .verifyInBackground(({ checked, total }) => Object.assign(state, { checked, total }))
        .then(
          (result) => {
            const view = verifyResultView(result);
            Object.assign(state, { result: view, error: null });
            return view;
          },
          (error: unknown) => {
            Object.assign(state, { result: null, error: String(error) });
            throw error;
          },
        )
        .finally(() => {
          Object.assign(state, { running: false, finished_at: toIso(now()) });
          running = null;
        });
      running = done;
      return done;
    },
  };
}

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
  const verify = verifyJobs(wallet.deps.ledger, () => wallet.deps.clock.now());

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
      reply.header('Content-Disposition', `attachment; filename="purser-ledger.${format}"`);
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

  // Verification: `POST` starts one (or joins the one running) and answers with its result
  // once done; with `?wait=false` it answers at once (202) with the progress, which
  // `GET` then reports until the run is finished (docs/ledger-format.md).
  app.post(
    '/admin/v1/ledger/verify',
    {
      config: owner,
      schema: {
        hide: true,
        querystring: z.strictObject({ wait: z.enum(['true', 'false']).optional() }),
        response: { 200: verifyView, 202: verifyStatusView, ...errors },
      },
    },
    async (request, reply) => {
      const done = verify.start();
      if (request.query.wait !== 'false') return done;
      done.catch(() => undefined); // reported by GET as `error`
      return reply.code(202).send(verify.status());
    },
  );

  app.get(
    '/admin/v1/ledger/verify',
    {
      config: owner,
      schema: { hide: true, response: { 200: verifyStatusView, ...errors } },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return verify.status();
    },
  );
}
