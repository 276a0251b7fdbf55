import { Command, Option } from 'commander';
import { CliError } from './cli-error';
import { ownerClient } from './owner-client';
import { emit, visible } from './output';
import { globals } from './globals';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { OwnerClient } from './owner-client';

const BAR_WIDTH = 30;
const POLL_MS = 100;

/** `[██████░░░…]  42%  420,000 of 1,000,000 entries`, for a terminal. */
export function progressLine(checked: number, total: number): string {
  const share = total > 0 ? Math.min(1, checked / total) : 0;
  const filled = Math.round(share * BAR_WIDTH);
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  const count = `${checked.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} entries`;
  return `verifying [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${percent}  ${count}`;
}

/**
 * Asks the server how far the verification has got (`GET /admin/v1/ledger/verify`) every
 * 100 ms and redraws one line on stderr; `stop` clears it. Nothing is drawn before the
 * server reports a run under way, and a failed poll only skips a frame.
 */
function progressBar(client: OwnerClient): { stop(): void } {
  let stopped = false;
  let drawn = false;
  const poll = async () => {
    while (!stopped) {
      try {
        const s = await client.call('ledgerVerifyStatus');
        if (!stopped && s.running) {
          process.stderr.write(`\r\x1b[2K${progressLine(s.checked, s.total)}`);
          drawn = true;
        }
      } catch {
        // the answer to the POST says what went wrong
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  void poll();
  return {
    stop() {
      stopped = true;
      if (drawn) process.stderr.write('\r\x1b[2K');
    },
  };
}

export function ledgerCommand(): Command {
  const ledger = new Command('ledger').description('the hash-chained ledger (owner)');
  ledger
    .command('verify')
    .description('check every entry of the hash chain; exits 1 if one is bad')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd);
      const client = ownerClient(g.home);
      // On a terminal, a progress bar on stderr while the server walks the chain; piped or
      // redirected output gets only the answer, as before.
      const bar = process.stderr.isTTY ? progressBar(client) : undefined;
      const r = await client.call('verifyLedger').finally(() => bar?.stop());
      // Without `?wait=false` the server answers once the run is done, with its result.
      if ('run' in r) throw new CliError('The server did not wait for the verification to end.');
      emit(!!g.json, r, () =>
        r.ok
          ? `ok: ${r.entries} entries, head ${r.head_hash}`
          : `BROKEN at entry ${r.first_bad?.seq}: ${visible(r.first_bad?.message ?? '')}`,
      );
      if (!r.ok) process.exitCode = 1;
    });
  ledger
    .command('export')
    .description('every entry as CSV or JSON')
    .addOption(new Option('--format <f>').choices(['csv', 'json']).default('json'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--agent <id>', 'only this agent')
    .action(async (o: { format: 'csv' | 'json'; out?: string; agent?: string }, cmd: Command) => {
      const g = globals(cmd);
      const response = await ownerClient(g.home, { streaming: true }).open(
        'ledgerExport',
        undefined,
        {
          format: o.format,
          agent_id: o.agent || undefined,
        },
      );
      if (!response.body) return;
      // Streamed: an export of a million entries never sits in memory whole. The bytes are
      // the server's, not made visible: the export is data for a spreadsheet or a program,
      // and escaping an agent's text in it would change that data.
      const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      if (o.out) await pipeline(source, createWriteStream(o.out, { mode: 0o600 }));
      else await pipeline(source, process.stdout, { end: false });
    });
  return ledger;
}
