import { Readable } from 'node:stream';
import type { z } from 'zod';
import type { ledgerQuery } from '../../../../shared/schemas/owner-api';
import { toIso } from '../../../core/clock';
import { csvHeader, csvLine } from '../../../core/ledger/export';
import type { LedgerRow, VerifyResult } from '../../../core/ledger/ledger';
import type { LedgerVerifyStatusView, LedgerVerifyView } from '../../../../shared/ledger';
import type { LedgerFilter } from '../../../core/ledger/ledger-query';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import { ledgerEntryView } from '../../owner-views';

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

type LedgerRoutes = 'ledgerPage' | 'ledgerExport' | 'verifyLedger' | 'ledgerVerifyStatus';

/** The ledger for the owner: pages, export, chain verification. */
export function ownerLedgerHandlers({ wallet }: RouteContext): OwnerHandlerGroup<LedgerRoutes> {
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
  return {
    ledgerPage: ({ query }) => {
      const limit = Math.min(query.limit ?? 100, 1000);
      const rows = ledger.page(toFilter(query), limit);
      const last = rows.at(-1);
      return {
        entries: rows.map(ledgerEntryView),
        next_before_seq: rows.length === limit && last ? last.seq : null,
      };
    },
    ledgerExport: ({ query, reply }) => {
      const { format, ...q } = query;
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
    // Verification: `POST` starts one (or joins the one running) and answers with its result
    // once done; with `?wait=false` it answers at once (202) with the progress, which `GET`
    // then reports until the run is finished (docs/ledger-format.md).
    verifyLedger: ({ query, reply }) => {
      const done = ledger.verify().then(verifyResultView);
      if (query.wait !== 'false') return done;
      done.catch(() => undefined); // reported by GET as `error`
      return reply.code(202).send(verifyStatus());
    },
    ledgerVerifyStatus: ({ reply }) => {
      reply.header('Cache-Control', 'no-store');
      return verifyStatus();
    },
  };
}
