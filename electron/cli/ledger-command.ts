import { Command, Option } from 'commander';
import { ownerClient, CliError } from './owner-client';
import { emit, visible } from './output';
import { globals } from './globals';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export function ledgerCommand(): Command {
  const ledger = new Command('ledger').description('the hash-chained ledger (owner)');
  ledger
    .command('verify')
    .description('check every entry of the hash chain; exits 1 if one is bad')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd);
      const r = await ownerClient(g.home).request<{
        ok: boolean;
        entries: number;
        head_hash: string;
        first_bad: { seq: number; message: string } | null;
      }>('POST', '/admin/v1/ledger/verify');
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
    .action(async (o: { format: string; out?: string; agent?: string }, cmd: Command) => {
      const g = globals(cmd);
      const params = new URLSearchParams({
        format: o.format,
        ...(o.agent ? { agent_id: o.agent } : {}),
      });
      const response = await ownerClient(g.home).raw('GET', `/admin/v1/ledger/export?${params}`);
      if (!response.ok)
        throw new CliError(`export failed: HTTP ${response.status} ${await response.text()}`);
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

export function loginCommand(): Command {
  return new Command('login')
    .description('print a one-time link that opens the owner window in a browser')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd);
      const { url } = await ownerClient(g.home).request<{ url: string }>(
        'POST',
        '/admin/v1/login-links',
      );
      emit(!!g.json, { url }, () => url);
    });
}
