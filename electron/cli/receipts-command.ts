import { Command, Option } from 'commander';
import { RAILS, type Rail } from '../../shared/domain';
import type { OwnerReceiptView } from '../../shared/schemas/receipts';
import { globals } from './globals';
import { ownerClient } from './owner-client';
import { emit, usd, visible, wholeNumber } from './output';

const receiptLine = (r: OwnerReceiptView) =>
  `${r.id}  ${visible(r.agent_name)}  ${usd(r.amount_cents)}  ${visible(r.merchant_name)}  ${r.rail}  ${r.created_at}` +
  (r.spend_request_id ? `  settles ${visible(r.spend_request_id)}` : '') +
  (r.over_limits.length ? `  over: ${r.over_limits.join(', ')}` : '') +
  (r.flags.length ? `  flagged: ${r.flags.join(', ')}` : '');

/** `purser receipts list`: payments agents reported making elsewhere. */
export function receiptsCommand(): Command {
  const receipts = new Command('receipts').description(
    'payments agents made elsewhere and reported (owner)',
  );
  receipts
    .command('list')
    .description('receipts, newest first')
    .option('--agent <id>', 'only this agent')
    .addOption(new Option('--rail <rail>', 'only this rail').choices(RAILS))
    .option('--over-budget', 'only receipts that put their agent over a limit')
    .option('--from <iso>', 'created at or after this time (ISO 8601)')
    .option('--to <iso>', 'created before this time (ISO 8601)')
    .option('--before <receiptId>', 'the page after this receipt')
    .option('--limit <n>', 'at most this many (default 100)', wholeNumber('--limit'))
    .action(
      async (
        o: {
          agent?: string;
          rail?: Rail;
          overBudget?: boolean;
          from?: string;
          to?: string;
          before?: string;
          limit?: number;
        },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const page = await ownerClient(g.home).call('listReceipts', {
          query: {
            agent_id: o.agent,
            rail: o.rail,
            over_budget: o.overBudget ? 'true' : undefined,
            from: o.from,
            to: o.to,
            before: o.before,
            limit: o.limit,
          },
        });
        emit(!!g.json, page, () => {
          if (!page.receipts.length) return 'no receipts';
          const more = page.next_before ? `\nmore: --before ${page.next_before}` : '';
          return page.receipts.map(receiptLine).join('\n') + more;
        });
      },
    );
  return receipts;
}
