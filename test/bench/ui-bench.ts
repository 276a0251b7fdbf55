/**
 * `npm run bench:ui`: the Overview and the Ledger page against a real data folder, in
 * Chromium, and the time to verify a million-entry chain.
 *
 * 1. Builds a data folder with UI_BENCH_ENTRIES ledger entries (default 200,000): four real
 *    agents made through the Wallet, then entries appended through the real Ledger class
 *    (hash chain and head as Purser writes them) in transactions of 50,000: spends approved,
 *    declined and waiting, receipts on every rail, budget requests, deposits, and a rare
 *    freeze, over the last 30 days;
 * 2. starts `purser serve` on it, logs a Chromium (Debian's, through Playwright's library
 *    API) into the window and measures, on the page itself:
 *    - the Overview painted: from navigation start to the first page's figures drawn and the
 *      next frame, on a fresh load of `/app/#/overview` (median of UI_BENCH_ROUNDS), and the
 *      `GET /admin/v1/overview` it reads, timed from the bench, and the Spending view's read
 *      (`GET /admin/v1/spending` over 31 days, by agent and by merchant);
 *    - first rows: from navigation start to the first entry rows in the DOM, on a fresh load
 *      of `/app/#/ledger` (median of UI_BENCH_ROUNDS, default 5);
 *    - filter changes: from the change event to the rows of the new filter in the DOM and
 *      the next frame (median per filter);
 *    - scrolling end to end (UI_BENCH_SCROLL=0 skips it): the table scrolled to its end a
 *      page at a time, with the JS heap after a forced GC, the DOM node count and the rows
 *      the store holds, sampled along the way; then a jump back to the top;
 *    (UI_BENCH_ENTRIES=0 skips this part);
 * 3. builds a second folder with UI_BENCH_VERIFY entries (default 1,000,000; 0 skips it) and
 *    times `purser ledger verify` (the CLI, end to end), the server's own walk (`POST
 *    /admin/v1/ledger/verify?wait=false`, then `GET` until done, with the progress seen), and
 *    in-process the fast walk and the plain (reference) one.
 *
 * Figures depend on the machine; other work on it shows in them. Nothing here is a test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { RAILS } from '../../shared/domain';
import { openDatabase } from '../../electron/core/db/database';
import { Ledger, type LedgerEntryInput } from '../../electron/core/ledger/ledger';
import { Wallet } from '../../electron/core/wallet';
import { ManualClock } from '../../electron/core/clock';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { startChild } from './load';
import { agentCommand } from '../helpers/commands';

const ENTRIES = Number(process.env.UI_BENCH_ENTRIES ?? 200_000);
const VERIFY_ENTRIES = Number(process.env.UI_BENCH_VERIFY ?? 1_000_000);
const ROUNDS = Number(process.env.UI_BENCH_ROUNDS ?? 5);
const SCROLL = process.env.UI_BENCH_SCROLL !== '0';
const purserBin = join(import.meta.dirname, '..', '..', 'electron', 'bin', 'purser.mjs');
const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const MERCHANTS = ['AWS', 'OpenAI', 'Anthropic', 'GitHub', 'Vercel', 'Hetzner', 'Stripe', 'Fly.io'];
const DAY_MS = 86_400_000;

/** The n-th bench entry: a mix like a busy wallet's, about `agent`. */
function benchEntry(i: number, agent: { id: string; key: string }): LedgerEntryInput {
  const merchant = MERCHANTS[i % MERCHANTS.length] ?? 'AWS';
  const amount = BigInt(100 + ((i * 7919) % 250_000)) * 10_000n;
  const base = {
    actor: `key:${agent.key}` as const,
    mode: 'live' as const,
    agentId: agent.id,
    objectId: `req_${i.toString(36).padStart(20, '0')}`,
    amount,
    merchant,
  };
  if (i % 50_000 === 25_000) return { type: 'wallet.frozen', actor: 'owner' };
  if (i % 50_000 === 25_001) return { type: 'wallet.unfrozen', actor: 'owner' };
  switch (i % 10) {
    case 6:
      return {
        ...base,
        type: 'spend.needs_approval',
        status: 'needs_approval',
        data: { reason: 'Fine-tuning run', category: 'compute', rule: 'approval_threshold' },
      };
    case 7:
      return {
        ...base,
        type: 'spend.declined',
        status: 'declined',
        data: { reason: 'GPU burst', decision_reason: 'Over the monthly budget', rule: 'budget' },
      };
    case 8:
      return {
        ...base,
        objectId: `rcpt_${i.toString(36).padStart(20, '0')}`,
        type: 'receipt.recorded',
        status: 'recorded',
        counted: amount,
        rail: RAILS[Math.floor(i / 10) % RAILS.length] ?? 'other',
        data: { usage_id: i, flags: [], over_limits: [], network: 'base' },
      };
    case 9:
      return i % 20 === 9
        ? {
            ...base,
            objectId: `breq_${i.toString(36).padStart(20, '0')}`,
            merchant: null,
            type: 'budget_request.created',
            status: 'pending',
            data: { purpose: 'Crawl the archive', category: 'data' },
          }
        : {
            type: 'funding.deposit',
            actor: 'owner',
            mode: 'live',
            objectId: 'fs_bench',
            amount,
            data: { balance_after: String(amount * 10n) },
          };
    default:
      return {
        ...base,
        type: 'spend.approved',
        status: 'approved',
        counted: amount,
        data: {
          reason: 'GPU runtime for an evaluation job',
          category: 'compute',
          decision_reason: 'Within budget and below the approval threshold',
          rule: 'auto_approve',
          policy_version: 1,
          usage_id: i,
        },
      };
  }
}

/**
 * A data folder with four agents and `n` entries in all, the newest now. Entries go through
 * the real Ledger (hash, chain, head) in big transactions; the folder is a bench's, so the
 * bulk load does not wait for the disk (a checkpoint at the end writes it all).
 */
export async function buildDataFolder(home: string, n: number): Promise<{ seconds: number }> {
  const start = performance.now();
  const now = Date.now();
  const span = 30 * DAY_MS;
  // The agents are made a day before the first bench entry, so times grow with seq.
  const wallet = Wallet.open({ home, clock: new ManualClock(now - span - DAY_MS) });
  const agents: Array<{ id: string; key: string }> = [];
  for (const name of ['research-bot', 'crawler', 'support-agent', 'ops-bot']) {
    const { agent } = await wallet.agents.create(
      agentCommand({ name, mode: 'live', budget_cents: 10_000_000 }),
    );
    agents.push({ id: agent.id, key: `key_${agent.id.slice(4)}` });
  }
  await wallet.close();
  const db = openDatabase(home);
  db.pragma('synchronous = OFF');
  const ledger = new Ledger(db);
  const existing = ledger.count();
  const todo = Math.max(0, n - existing);
  const batch = 50_000;
  for (let done = 0; done < todo; done += batch) {
    db.transaction(() => {
      for (let i = done; i < Math.min(todo, done + batch); i += 1) {
        const agent = agents[i % agents.length] ?? agents[0];
        if (!agent) throw new Error('no agent');
        ledger.append(benchEntry(i, agent), now - span + Math.floor((i * span) / todo));
      }
      ledger.persistHead();
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { seconds: (performance.now() - start) / 1000 };
}

async function startPurser(home: string) {
  const server = await startChild(process.execPath, [
    purserBin,
    '--home',
    home,
    'serve',
    '--port',
    '0',
  ]);
  const token = readFileSync(join(home, 'owner-token'), 'utf8').trim();
  const owner = async <T>(method: string, path: string): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  return { server, owner };
}

/**
 * Waits, inside the page, until `predicate` holds after a DOM change (checked on every
 * mutation of the ledger table), and answers with the time then and after the next frame.
 */
const WAIT_IN_PAGE = `
window.__ledgerWait = (predicate) => new Promise((resolve) => {
  const done = () => {
    const at = performance.now();
    requestAnimationFrame(() => setTimeout(() => resolve({ dom: at, painted: performance.now() }), 0));
  };
  if (predicate()) return done();
  const observer = new MutationObserver(() => {
    if (predicate()) { observer.disconnect(); done(); }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
});
window.__overviewPainted = new Promise((resolve) => {
  const seen = () => document.querySelector('.overview[data-ready="true"]');
  const painted = () =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
  if (seen()) return painted();
  const observer = new MutationObserver(() => {
    if (seen()) { observer.disconnect(); painted(); }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
});
window.__firstRows = new Promise((resolve) => {
  const seen = () => document.querySelector('.ledger-body [data-seq]');
  const observer = new MutationObserver(() => {
    if (seen()) { observer.disconnect(); resolve(performance.now()); }
  });
  observer.observe(document, { subtree: true, childList: true });
});
`;

interface FilterCase {
  name: string;
  /** The form control (by its label) and the value to set. */
  label: string;
  value: string;
  /** What every row must show once the filter is applied. */
  rows: { attr?: 'type' | 'agent'; equals?: string; text?: string; column?: string };
}

/** Sets a filter control and times the rows of the new filter, in the page. */
async function timeFilter(page: Page, c: FilterCase): Promise<{ dom: number; painted: number }> {
  return page.evaluate(async (c) => {
    type Wait = (p: () => boolean) => Promise<{ dom: number; painted: number }>;
    const wait = (window as unknown as { __ledgerWait: Wait }).__ledgerWait;
    const label = Array.from(document.querySelectorAll('.ledger-filters label')).find(
      (l) => l.textContent?.trim() === c.label,
    ) as HTMLLabelElement | undefined;
    const control = label?.control as HTMLInputElement | null;
    if (!control) throw new Error(`no control ${c.label}`);
    const scroll = document.querySelector('.ledger-scroll') as HTMLElement;
    const before = scroll.dataset.known;
    const t0 = performance.now();
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(control), 'value')?.set;
    setter?.call(control, c.value);
    control.dispatchEvent(
      new Event(control.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }),
    );
    // (inline: a named function here would need esbuild's __name helper in the page)
    const at = await wait(() => {
      if (scroll.getAttribute('aria-busy') !== 'false') return false;
      const rows = Array.from(document.querySelectorAll<HTMLElement>('.ledger-body [data-seq]'));
      if (rows.length === 0)
        return scroll.dataset.end === 'true' && scroll.dataset.known !== before;
      return rows.every((r) => {
        if (c.rows.attr) return r.dataset[c.rows.attr] === c.rows.equals;
        if (c.rows.column) {
          const cell = r.querySelector(`.col-${c.rows.column}`);
          return (cell?.textContent ?? '').toLowerCase() === (c.rows.text ?? '').toLowerCase();
        }
        return true;
      });
    });
    return { dom: at.dom - t0, painted: at.painted - t0 };
  }, c);
}

async function heap(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? 0;
  const held = await page.evaluate(() => {
    const el = document.querySelector('.ledger-scroll') as HTMLElement;
    return {
      known: Number(el.dataset.known),
      held: Number(el.dataset.rowsHeld),
      rows: document.querySelectorAll('.ledger-body [role=row]').length,
    };
  });
  return { usedSize, nodes, ...held };
}

async function uiBench(home: string, results: Record<string, unknown>) {
  const { server, owner } = await startPurser(home);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.addInitScript(WAIT_IN_PAGE);
    const { url } = await owner<{ url: string }>('POST', '/admin/v1/login-links');
    await page.goto(url);
    await page.getByRole('button', { name: 'Log out' }).waitFor();

    // The Overview, the window's first page: from navigation start to its figures drawn
    // (the page's one read, GET /admin/v1/overview, answered and rendered, then a frame).
    const overviews: number[] = [];
    for (let round = 0; round < ROUNDS + 1; round += 1) {
      await page.goto('about:blank');
      await page.goto(`${server.url}/app/#/overview`);
      const at = await page.evaluate(
        () => (window as unknown as { __overviewPainted: Promise<number> }).__overviewPainted,
      );
      if (round > 0) overviews.push(at); // the first load warms the server's caches
    }
    log(
      `  Overview painted after navigation: median ${ms(median(overviews))} (${overviews.map((f) => f.toFixed(0)).join(', ')} ms; target < 500 ms)`,
    );
    results.overviewPaintMs = { median: median(overviews), all: overviews };
    const reads: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const t0 = performance.now();
      await owner('GET', '/admin/v1/overview');
      reads.push(performance.now() - t0);
    }
    log(`  GET /admin/v1/overview, from here: median ${ms(median(reads))}`);
    results.overviewReadMs = { median: median(reads), all: reads };

    // The Spending view's one read over the whole 30 days the entries span, by day: what a
    // month's chart and table cost with this ledger (docs/spending.md).
    const to = new Date(Date.now() + 60_000).toISOString();
    const from = new Date(Date.now() - 31 * 86_400_000).toISOString();
    for (const groupBy of ['agent', 'merchant'] as const) {
      const spending: number[] = [];
      for (let round = 0; round < ROUNDS + 1; round += 1) {
        const t0 = performance.now();
        await owner(
          'GET',
          `/admin/v1/spending?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&group_by=${groupBy}&bucket=day`,
        );
        if (round > 0) spending.push(performance.now() - t0);
      }
      log(
        `  GET /admin/v1/spending, 31 days by ${groupBy}: median ${ms(median(spending))} (${spending.map((f) => f.toFixed(0)).join(', ')} ms)`,
      );
      results[`spendingReadMs_${groupBy}`] = { median: median(spending), all: spending };
    }

    // First rows after a navigation: a fresh document each round (the session stays in the tab).
    const firsts: number[] = [];
    for (let round = 0; round < ROUNDS + 1; round += 1) {
      await page.goto('about:blank');
      await page.goto(`${server.url}/app/#/ledger`);
      const at = await page.evaluate(
        () => (window as unknown as { __firstRows: Promise<number> }).__firstRows,
      );
      if (round > 0) firsts.push(at); // the first load warms the server's caches
    }
    log(
      `  first rows after navigation: median ${ms(median(firsts))} (${firsts.map((f) => f.toFixed(0)).join(', ')} ms)`,
    );
    results.firstRowsMs = { median: median(firsts), all: firsts };
    await page.locator('.ledger-body [data-seq]').first().waitFor();

    const agents = (
      await owner<{ agents: Array<{ id: string; name: string }> }>('GET', '/admin/v1/agents')
    ).agents;
    const second = agents[1]?.id ?? '';
    const mid = new Date(Date.now() - 15 * DAY_MS);
    const local = (d: Date) =>
      new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const cases: Array<[FilterCase, FilterCase]> = [
      [
        {
          name: 'kind spend.declined',
          label: 'Kind',
          value: 'spend.declined',
          rows: { attr: 'type', equals: 'spend.declined' },
        },
        {
          name: 'kind receipt.recorded',
          label: 'Kind',
          value: 'receipt.recorded',
          rows: { attr: 'type', equals: 'receipt.recorded' },
        },
      ],
      [
        {
          name: 'kind wallet.frozen (rare)',
          label: 'Kind',
          value: 'wallet.frozen',
          rows: { attr: 'type', equals: 'wallet.frozen' },
        },
        { name: 'all kinds', label: 'Kind', value: '', rows: {} },
      ],
      [
        {
          name: `agent ${agents[1]?.name ?? ''}`,
          label: 'Agent',
          value: second,
          rows: { attr: 'agent', equals: second },
        },
        { name: 'all agents', label: 'Agent', value: '', rows: {} },
      ],
      [
        { name: 'rail card', label: 'Rail', value: 'card', rows: { column: 'rail', text: 'card' } },
        { name: 'all rails', label: 'Rail', value: '', rows: {} },
      ],
      [
        { name: 'from 15 days ago', label: 'From', value: local(mid), rows: {} },
        { name: 'from any time', label: 'From', value: '', rows: {} },
      ],
      [
        { name: 'until 15 days ago', label: 'Until', value: local(mid), rows: {} },
        { name: 'until now', label: 'Until', value: '', rows: {} },
      ],
    ];
    const filterFigures: Record<string, { dom: number; painted: number }> = {};
    for (const pair of cases) {
      const times: Record<string, Array<{ dom: number; painted: number }>> = {};
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const c of pair) (times[c.name] ??= []).push(await timeFilter(page, c));
      }
      for (const c of pair) {
        const list = times[c.name] ?? [];
        const figure = {
          dom: median(list.map((t) => t.dom)),
          painted: median(list.map((t) => t.painted)),
        };
        filterFigures[c.name] = figure;
        log(
          `  filter → ${c.name.padEnd(28)} rows in DOM ${ms(figure.dom).padStart(7)}, painted ${ms(figure.painted).padStart(7)}`,
        );
      }
    }
    results.filterMs = filterFigures;

    if (SCROLL) {
      const samples: Array<Awaited<ReturnType<typeof heap>> & { atMs: number }> = [];
      const start = performance.now();
      samples.push({ ...(await heap(page)), atMs: 0 });
      let nextSample = 0.25;
      let end = false;
      let steps = 0;
      while (!end) {
        const state = await page.evaluate(async () => {
          const el = document.querySelector('.ledger-scroll') as HTMLElement;
          const known = el.dataset.known;
          el.scrollTop = el.scrollHeight;
          type Wait = (p: () => boolean) => Promise<unknown>;
          await (window as unknown as { __ledgerWait: Wait }).__ledgerWait(
            () => el.dataset.known !== known || el.dataset.end === 'true',
          );
          return { known: Number(el.dataset.known), end: el.dataset.end === 'true' };
        });
        steps += 1;
        end = state.end;
        if (state.known / ENTRIES >= nextSample || end) {
          samples.push({ ...(await heap(page)), atMs: performance.now() - start });
          nextSample += 0.25;
        }
      }
      const scrollSeconds = (performance.now() - start) / 1000;
      log(`  scrolled end to end: ${steps} pages in ${scrollSeconds.toFixed(1)} s`);
      for (const s of samples)
        log(
          `    ${String(s.known).padStart(7)} entries read: JS heap ${mb(s.usedSize).padStart(8)}, DOM nodes ${String(s.nodes).padStart(5)}, rows in DOM ${String(s.rows).padStart(3)}, rows held ${s.held}`,
        );
      // Back to the top: its page was dropped long ago and is read again.
      const back = await page.evaluate(async () => {
        const el = document.querySelector('.ledger-scroll') as HTMLElement;
        const t0 = performance.now();
        el.scrollTop = 0;
        type Wait = (p: () => boolean) => Promise<{ dom: number }>;
        const at = await (window as unknown as { __ledgerWait: Wait }).__ledgerWait(
          () => el.querySelector('[aria-rowindex="2"][data-seq]') !== null,
        );
        return at.dom - t0;
      });
      log(`  back to the top (its page read again): ${ms(back)}`);
      results.scroll = { steps, seconds: scrollSeconds, samples, backToTopMs: back };
    }
    await page.screenshot({ path: join(tmpdir(), 'purser-ui-bench.png') });
  } finally {
    await browser.close();
    await server.stop();
  }
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; seconds: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [purserBin, ...args], { timeout: 300_000 }, (error, stdout) =>
      resolve({
        code: error ? 1 : 0,
        stdout,
        seconds: (performance.now() - start) / 1000,
      }),
    );
  });
}

async function verifyBench(home: string, results: Record<string, unknown>) {
  const { server, owner } = await startPurser(home);
  try {
    const cliStart = await runCli(['--home', home, 'ledger', '--help']);
    const cli = await runCli(['--home', home, 'ledger', 'verify']);
    log(
      `  purser ledger verify (CLI, end to end): ${cli.seconds.toFixed(2)} s: ${cli.stdout.trim().slice(0, 40)}…`,
    );
    log(`    of which the CLI starting (purser ledger --help): ${cliStart.seconds.toFixed(2)} s`);
    type Status = {
      run: number;
      running: boolean;
      checked: number;
      total: number;
      started_at: string;
      finished_at: string | null;
      result: { ok: boolean; entries: number } | null;
    };
    const t0 = performance.now();
    const started = await owner<Status>('POST', '/admin/v1/ledger/verify?wait=false');
    const seen: number[] = [started.checked];
    let status = started;
    while (status.running || status.run < started.run) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await owner<Status>('GET', '/admin/v1/ledger/verify');
      seen.push(status.checked);
    }
    const wall = (performance.now() - t0) / 1000;
    const serverSeconds =
      (Date.parse(status.finished_at ?? '') - Date.parse(status.started_at)) / 1000;
    log(
      `  server walk (POST ?wait=false, GET until done): ${serverSeconds.toFixed(2)} s (${wall.toFixed(2)} s seen from here), ${status.result?.entries} entries ${status.result?.ok ? 'ok' : 'BROKEN'}; progress seen at ${seen.length} polls: ${seen.slice(0, 6).join(', ')}, …`,
    );
    results.verify = {
      cliSeconds: cli.seconds,
      cliStartSeconds: cliStart.seconds,
      serverSeconds,
      polls: seen.length,
    };
  } finally {
    await server.stop();
  }
  const db = openDatabase(home);
  try {
    const ledger = new Ledger(db);
    const time = (reference: boolean) => {
      const start = performance.now();
      const result = ledger.verify({ reference });
      return { seconds: (performance.now() - start) / 1000, result };
    };
    const fast = time(false);
    const plain = time(true);
    log(
      `  in process: fast walk ${fast.seconds.toFixed(2)} s, plain (reference) walk ${plain.seconds.toFixed(2)} s, same answer: ${JSON.stringify(fast.result) === JSON.stringify(plain.result)}`,
    );
    Object.assign(results.verify as object, {
      inProcessFast: fast.seconds,
      inProcessPlain: plain.seconds,
    });
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'purser-ui-bench-'));
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    entries: ENTRIES,
  };
  try {
    if (ENTRIES > 0) {
      log(`Purser UI bench: ${ENTRIES} entries, ${cpus().length} cores, node ${process.version}`);
      const home = join(scratch, 'ui');
      const built = await buildDataFolder(home, ENTRIES);
      log(`  data folder: ${ENTRIES} entries in ${built.seconds.toFixed(1)} s`);
      await uiBench(home, results);
    }
    if (VERIFY_ENTRIES > 0) {
      const verifyHome = join(scratch, 'verify');
      const big = await buildDataFolder(verifyHome, VERIFY_ENTRIES);
      log(`Verify bench: ${VERIFY_ENTRIES} entries (built in ${big.seconds.toFixed(1)} s)`);
      await verifyBench(verifyHome, results);
    }
    log(`\n${JSON.stringify(results)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Run as `npm run bench:ui`; imported (for its data folder), it only exports.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
