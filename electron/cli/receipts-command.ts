import { Command, Option } from 'commander';
import { RAILS, type Rail } from '../../shared/domain';
import { REVIEW_STATUSES, type OwnerReceiptView } from '../../shared/schemas/receipts';
import { ownerAction } from './owner-action';
import { usd, visible, wholeNumber } from './output';

const receiptLine = (r: OwnerReceiptView) =>
  `${r.id}  ${visible(r.agent_name)}  ${usd(r.amount_cents)}  ${visible(r.merchant_name)}  ${r.rail}  ${r.created_at}` +
  (r.spend_request_id
    ? `  ${r.settles ? 'settles' : 'names'} ${visible(r.spend_request_id)}`
    : '') +
  (r.review ? `  review ${r.review.status}: ${r.review.kind} ${usd(r.review.amount_cents)}` : '') +
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
    .addOption(
      new Option(
        '--review <state>',
        'only receipts whose claim waits for you (open), or was answered',
      ).choices(REVIEW_STATUSES),
    )
    .action(
      ownerAction(
        (
          client,
          o: {
            agent?: string;
            rail?: Rail;
            overBudget?: boolean;
            from?: string;
            to?: string;
            before?: string;
            limit?: number;
            review?: (typeof REVIEW_STATUSES)[number];
          },
        ) =>
          client.call('listReceipts', {
            query: {
              agent_id: o.agent,
              rail: o.rail,
              over_budget: o.overBudget ? 'true' : undefined,
              from: o.from,
              to: o.to,
              before: o.before,
              limit: o.limit,
              review: o.review,
            },
          }),
        (page) => {
          if (!page.receipts.length) return 'no receipts';
          const more = page.next_before ? `\nmore: --before ${page.next_before}` : '';
          return page.receipts.map(receiptLine).join('\n') + more;
        },
      ),
    );
  for (const [verb, route, says] of [
    [
      'accept',
      'acceptReceipt',
      'count the held part against shared limits, or settle its request for less',
    ],
    ['dispute', 'disputeReceipt', 'leave the shared limits and the request as they were'],
  ] as const) {
    receipts
      .command(`${verb} <receiptId>`)
      .description(`answer what a receipt claims: ${says}`)
      .option('--comment <text>', 'why, for the ledger')
      .action(
        ownerAction(
          (client, id: string, o: { comment?: string }) =>
            client.call(route, { params: { id }, body: { comment: o.comment } }),
          receiptLine,
        ),
      );
  }
  return receipts;
}
