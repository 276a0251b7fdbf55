import { Readable } from 'node:stream';
import type { z } from 'zod';
import { ownerContract } from '../../../../shared/contract/owner';
import type { ledgerQuery } from '../../../../shared/schemas/owner-api';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { toIso } from '../../../core/clock';
import { csvHeader, csvLine } from '../../../core/ledger/export';
import type { LedgerRow, VerifyResult } from '../../../core/ledger/ledger';
import type { LedgerVerifyStatusView, LedgerVerifyView } from '../../../../shared/ledger';
import type { LedgerFilter } from '../../../core/ledger/ledger-query';
import type { RouteContext, ZodApp } from '../../context';
import { ledgerEntryView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

function verifyResultView(result: VerifyResult): LedgerVerifyView {
  return {
    ok: result.ok,
    entries: result.entries,
    head_seq: result.headSeq,
    head_hash: result.headHash,
    first_bad: result.firstBad ?? null,
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
  const { ledger } = wallet;
  const verifyStatus = (): LedgerVerifyStatusView => {
    const s = ledger.verifyStatus();
    return {
      run: s.run,
      running: s.running,
      checked: s.checked,
      total: s.total,
      started_at: s.startedAt === null ? null : toIso(s.startedAt),
      finished_at: s.finishedAt === null ? null : toIso(s.finishedAt),
      result: s.result && verifyResultView(s.result),
      error: s.error,
    };
  };

  app.get(
    ownerContract.ledgerPage.path,
    {
      config: owner,
      schema: {
        hide: true,
        querystring: ownerContract.ledgerPage.query,
        response: { 200: ownerContract.ledgerPage.response, ...errors },
      },
    },
    async (request) => {
      const limit = Math.min(request.query.limit ?? 100, 1000);
      const rows = ledger.page(toFilter(request.query), limit);
      const last = rows.at(-1);
      return {
        entries: rows.map(ledgerEntryView),
        next_before_seq: rows.length === limit && last ? last.seq : null,
      };
    },
  );

  app.get(
    ownerContract.ledgerExport.path,
    {
      config: owner,
      schema: { hide: true, querystring: ownerContract.ledgerExport.query },
    },
    async (request, reply) => {
      const { format, ...q } = request.query;
      const rows = ledger.all(toFilter(q));
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
    ownerContract.verifyLedger.path,
    {
      config: owner,
      schema: {
        hide: true,
        querystring: ownerContract.verifyLedger.query,
        response: {
          200: ownerContract.verifyLedger.response,
          202: ownerContract.verifyLedger.accepted,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const done = ledger.verify().then(verifyResultView);
      if (request.query.wait !== 'false') return done;
      done.catch(() => undefined); // reported by GET as `error`
      return reply.code(202).send(verifyStatus());
    },
  );

  app.get(
    ownerContract.ledgerVerifyStatus.path,
    {
      config: owner,
      schema: {
        hide: true,
        response: { 200: ownerContract.ledgerVerifyStatus.response, ...errors },
      },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return verifyStatus();
    },
  );
}
