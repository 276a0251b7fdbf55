import type { Command } from 'commander';
import type { PayoutIntentView, PurserClient } from '../../shared/client';
import type { PayoutStatus } from '../../shared/domain';
import { agentCommand, amountOption, EXIT, run, waitOption, type Ask } from './agent-commands';
import { quoted, usd, visible } from './output';

/*
 * `purser payout send|status|cancel` (docs/payouts.md): an agent command like `spend`, with
 * its exit codes (agent-commands.ts). A payout not at its end yet is "pending" (11); failed,
 * cancelled or expired is "ended" (12).
 */

const PAYOUT_EXIT: Record<PayoutStatus, number> = {
  completed: EXIT.ok,
  declined: EXIT.declined,
  needs_approval: EXIT.pending,
  approved: EXIT.pending,
  awaiting_signature: EXIT.pending,
  submitted: EXIT.pending,
  failed: EXIT.ended,
  cancelled: EXIT.ended,
  expired: EXIT.ended,
};
const PAYOUT_OPEN = new Set<PayoutStatus>([
  'needs_approval',
  'approved',
  'awaiting_signature',
  'submitted',
]);

/** Follows a payout to its end (or `seconds`), over long polls of at most 50 s. */
async function waitForPayout(client: PurserClient, id: string, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    const payout = await client.getPayout(id, { wait: Math.max(0, Math.min(50, left)) });
    if (!PAYOUT_OPEN.has(payout.status) || left <= 0) return payout;
  }
}

function payoutText(p: PayoutIntentView): string {
  const lines = [
    `${p.status}  ${p.id}  ${usd(p.amount_cents)} to ${p.address} on ${p.chain} for ${quoted(p.reason)}`,
    `  ${visible(p.decision_reason)}`,
  ];
  if (p.pending_reason) lines.push(`  waiting: ${visible(p.pending_reason)}`);
  if (p.failure_reason) lines.push(`  failed: ${visible(p.failure_reason)}`);
  if (p.tx_signature) lines.push(`  transaction ${p.tx_signature}`);
  if (PAYOUT_OPEN.has(p.status))
    lines.push(`  not at its end yet; follow it with: purser payout status ${p.id} --wait 60`);
  return lines.join('\n');
}

/** `purser payout send|status|cancel` (docs/payouts.md). */
export function payoutCommand(): Command {
  const payout = agentCommand('payout', 'pay an address on chain from the agent’s wallet (agent)');
  payout.addCommand(
    agentCommand('send', 'pay a saved recipient (rcp_…) or an address, in USDC')
      .argument('<recipient>')
      .addOption(amountOption())
      .requiredOption('--reason <text>', 'why, for the owner')
      .option('--network <chain>', 'a configured chain (default: the first one)')
      .option('--idempotency-key <k>', 'reuse it when retrying, so a retry never pays twice')
      .addOption(waitOption())
      .action((recipient: string, o: Ask & { reason: string; network?: string }, cmd: Command) =>
        run(
          cmd,
          async (client) => {
            const created = await client.createPayout({
              recipient,
              amount_cents: o.amountCents,
              reason: o.reason,
              ...(o.network === undefined ? {} : { network: o.network }),
              ...(o.idempotencyKey === undefined ? {} : { idempotency_key: o.idempotencyKey }),
            });
            return o.wait && PAYOUT_OPEN.has(created.status)
              ? waitForPayout(client, created.id, o.wait)
              : created;
          },
          payoutText,
          (r) => PAYOUT_EXIT[r.status],
        ),
      ),
  );
  payout.addCommand(
    agentCommand('status', 'a payout as it stands')
      .argument('<payoutId>')
      .addOption(waitOption())
      .action((id: string, o: { wait?: number }, cmd: Command) =>
        run(
          cmd,
          (client) => (o.wait ? waitForPayout(client, id, o.wait) : client.getPayout(id)),
          payoutText,
          (r) => PAYOUT_EXIT[r.status],
        ),
      ),
  );
  payout.addCommand(
    agentCommand('cancel', 'withdraw a payout not yet signed')
      .argument('<payoutId>')
      .action((id: string, _o: unknown, cmd: Command) =>
        run(
          cmd,
          (client) => client.cancelPayout(id),
          payoutText,
          (r) => PAYOUT_EXIT[r.status],
        ),
      ),
  );
  return payout;
}
