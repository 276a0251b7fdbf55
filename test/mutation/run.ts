/**
 * Mutation check of the money code: applies each single-line mutant of test/mutation/mutants.ts
 * in turn, runs the test files listed for it, and says whether the tests noticed (killed) or
 * not (survived). Every mutated file is put back byte for byte, also on Ctrl-C, SIGTERM or an
 * error.
 *
 *   npx tsx test/mutation/run.ts                 # every mutant
 *   npx tsx test/mutation/run.ts --list          # the list, and whether each line is still there
 *   npx tsx test/mutation/run.ts --only 7        # one mutant (also --only 1,4,9 or --only 3-8)
 *
 * Other options:
 *   --root DIR       run against another checkout of Purser (a copy of HEAD, say) instead of
 *                    the one this file is in; the test files are that checkout's
 *   --no-baseline    skip the baseline: by default each distinct set of test files is first
 *                    run on the unmutated code, and a mutant whose tests already fail there
 *                    is reported as "baseline-fails" instead of killed
 *   --all-configs    run the chain config even when the unit config already killed it
 *   --timeout-min N  per test run (default 20); a run that times out counts as killed
 *   --json FILE      also write the results as JSON
 *
 * A mutant whose original line is no longer in its file exactly once (the code moved on) is
 * reported as "stale" and not run. Logs of every run: $TMPDIR/purser-mutation/.
 * No npm script: this runs with the repository's own tsx, as above.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTANTS, type Mutant } from './mutants';

const UNIT_CONFIG = 'test/vitest.config.ts';
const CHAIN_CONFIG = 'test/chain/vitest.config.ts';

type Status = 'killed' | 'survived' | 'stale' | 'baseline-fails' | 'error';

interface Result {
  n: number;
  mutant: Mutant;
  status: Status;
  /** The file mutated (the mutant's, or an `elsewhere` one). */
  file?: string;
  line?: number;
  detail: string;
  seconds: number;
  log?: string;
}

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
};

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(option('--root') ?? join(here, '..', '..'));
const BASELINE = !flag('--no-baseline');
const ALL_CONFIGS = flag('--all-configs');
const TIMEOUT_MS = Number(option('--timeout-min') ?? 20) * 60_000;
const LOG_DIR = join(tmpdir(), 'purser-mutation');
/** Colour codes, which vitest may print even when asked not to. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function selected(): number[] {
  const only = option('--only');
  const all = MUTANTS.map((_, i) => i + 1);
  if (only === undefined) return all;
  const picked = new Set<number>();
  for (const part of only.split(',')) {
    const range = /^(\d+)-(\d+)$/.exec(part.trim());
    if (range) {
      for (let n = Number(range[1]); n <= Number(range[2]); n += 1) picked.add(n);
    } else picked.add(Number(part.trim()));
  }
  for (const n of picked) {
    if (!Number.isInteger(n) || n < 1 || n > MUTANTS.length)
      throw new Error(`--only: no mutant ${n} (there are ${MUTANTS.length})`);
  }
  return [...picked].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Finding and applying a mutant

interface Located {
  /** Path from the root: the mutant's file, or the `elsewhere` one that held the line. */
  file: string;
  path: string;
  original: Buffer;
  mutated: Buffer;
  /** 1-based line number of the mutated line. */
  line: number;
  mutatedLine: string;
  originalLine: string;
}

/** Splits text into lines, each keeping its own end of line, so that joining is exact. */
function splitKeepingEol(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function eolOf(line: string): string {
  return line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
}

/**
 * The mutant's line must be in its file exactly once (compared without its indentation and
 * end of line); the replacement keeps the line's indentation and end of line. Where the
 * line is not (the code moved), each `elsewhere` place is tried in turn.
 */
function locate(m: Mutant): Located | { stale: string } {
  const first = locateAt(m);
  if (!('stale' in first)) return first;
  for (const place of m.elsewhere ?? []) {
    const found = locateAt(place);
    if (!('stale' in found)) return found;
  }
  return first;
}

function locateAt(
  m: Pick<Mutant, 'file' | 'original' | 'replacement'>,
): Located | { stale: string } {
  const path = join(ROOT, m.file);
  if (!existsSync(path)) return { stale: 'file not found' };
  const original = readFileSync(path);
  const text = original.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(original)) return { stale: 'file is not UTF-8' };
  const lines = splitKeepingEol(text);
  const want = m.original.trim();
  const hits = lines.flatMap((l, i) => (l.trim() === want ? [i] : []));
  if (hits.length === 0) return { stale: 'original line not found' };
  if (hits.length > 1) return { stale: `original line found ${hits.length} times` };
  const i = hits[0] as number;
  const old = lines[i] as string;
  const indent = /^[ \t]*/.exec(old)?.[0] ?? '';
  const body = m.replacement.trim();
  const mutatedLine = (body === '' ? '' : indent + body) + eolOf(old);
  if (mutatedLine === old) return { stale: 'replacement equals the original' };
  lines[i] = mutatedLine;
  return {
    file: m.file,
    path,
    original,
    mutated: Buffer.from(lines.join(''), 'utf8'),
    line: i + 1,
    mutatedLine,
    originalLine: old,
  };
}

/** The mutant now on disk, so that a signal or an error can put it back. */
let active: Located | undefined;
let child: ChildProcess | undefined;

/**
 * Puts the file back. If nobody touched it while the tests ran, the original bytes are
 * written back whole. If someone edited it meanwhile (the core is edited concurrently), only
 * the mutated line is put back, so their edit stays; if even that line is gone, the original
 * is saved beside the logs and the file is left for a human.
 */
function restore(): void {
  const m = active;
  if (!m) return;
  active = undefined;
  const now = existsSync(m.path) ? readFileSync(m.path) : undefined;
  if (now?.equals(m.original)) return;
  if (now === undefined || now.equals(m.mutated)) {
    writeFileSync(m.path, m.original);
    if (!readFileSync(m.path).equals(m.original))
      throw new Error(`could not restore ${m.path} byte for byte`);
    return;
  }
  const lines = splitKeepingEol(now.toString('utf8'));
  const hits = lines.flatMap((l, i) => (l === m.mutatedLine ? [i] : []));
  if (hits.length === 1) {
    lines[hits[0] as number] = m.originalLine;
    writeFileSync(m.path, lines.join(''));
    console.error(
      `\n!! ${m.path} changed while its mutant was applied: put back only the mutated line ${m.line}`,
    );
    return;
  }
  mkdirSync(LOG_DIR, { recursive: true });
  const saved = join(LOG_DIR, `original-${Date.now()}-${m.path.split('/').pop()}`);
  writeFileSync(saved, m.original);
  console.error(
    `\n!! ${m.path} changed while its mutant was applied and the mutated line is not found once;` +
      ` left as it is. The original is in ${saved}. Mutated line ${m.line}: ${m.mutatedLine.trim()}`,
  );
}

function stopChild(): void {
  const c = child;
  if (c?.pid !== undefined && c.exitCode === null) {
    try {
      process.kill(-c.pid, 'SIGTERM'); // its own process group: vitest and its workers
    } catch {
      // already gone
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopChild();
    restore();
    console.error(`\n${signal}: stopped; every mutated file was put back.`);
    process.exit(130);
  });
}
process.on('uncaughtException', (error) => {
  stopChild();
  restore();
  console.error(error);
  process.exit(1);
});

// ---------------------------------------------------------------------------------------------
// Running tests

interface Run {
  ok: boolean;
  timedOut: boolean;
  seconds: number;
  log: string;
  summary: string;
}

function runVitest(config: string, files: string[], label: string): Promise<Run> {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = join(LOG_DIR, `${label}.log`);
  const started = Date.now();
  return new Promise((resolveRun) => {
    const out: Buffer[] = [];
    const proc = spawn('npx', ['vitest', 'run', '--config', config, ...files], {
      cwd: ROOT,
      detached: true, // its own process group, stopped as one on a signal or a timeout
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (b: Buffer) => out.push(b));
    proc.stderr?.on('data', (b: Buffer) => out.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stopChild();
    }, TIMEOUT_MS);
    proc.on('close', (code) => {
      clearTimeout(timer);
      child = undefined;
      const text = Buffer.concat(out).toString('utf8').replace(ANSI, '');
      writeFileSync(log, `$ npx vitest run --config ${config} ${files.join(' ')}\n\n${text}`);
      const summary = (/^\s*Tests\s+(.*)$/m.exec(text)?.[1] ?? `exit ${code}`).trim();
      resolveRun({
        ok: code === 0 && !timedOut,
        timedOut,
        seconds: (Date.now() - started) / 1000,
        log,
        summary: timedOut ? `timed out after ${TIMEOUT_MS / 60_000} min` : summary,
      });
    });
  });
}

/** The mutant's test files by config: chain tests under theirs, the rest under the unit one. */
function groups(m: Mutant): { config: string; files: string[] }[] {
  const chain = m.tests.filter((f) => f.startsWith('test/chain/'));
  const unit = m.tests.filter((f) => !f.startsWith('test/chain/'));
  return [
    ...(unit.length ? [{ config: UNIT_CONFIG, files: unit }] : []),
    ...(chain.length ? [{ config: CHAIN_CONFIG, files: chain }] : []),
  ];
}

const baselines = new Map<string, Promise<Run>>();
function baseline(config: string, files: string[]): Promise<Run> {
  const key = `${config}|${[...files].sort().join(',')}`;
  let run = baselines.get(key);
  if (!run) {
    run = runVitest(config, files, `baseline-${baselines.size + 1}`);
    baselines.set(key, run);
  }
  return run;
}

async function check(n: number, m: Mutant): Promise<Result> {
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const missing = m.tests.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length > 0)
    return {
      n,
      mutant: m,
      status: 'error',
      detail: `no test file ${missing.join(', ')}`,
      seconds: 0,
    };
  const found = locate(m);
  if ('stale' in found) return { n, mutant: m, status: 'stale', detail: found.stale, seconds: 0 };

  if (BASELINE) {
    for (const g of groups(m)) {
      const b = await baseline(g.config, g.files);
      if (!b.ok) {
        return {
          n,
          mutant: m,
          status: 'baseline-fails',
          file: found.file,
          line: found.line,
          detail: `unmutated: ${b.summary}`,
          seconds: elapsed(),
          log: b.log,
        };
      }
    }
  }

  // The line may have moved while the baseline ran: find it again just before writing.
  const fresh = locate(m);
  if ('stale' in fresh) return { n, mutant: m, status: 'stale', detail: fresh.stale, seconds: 0 };
  active = fresh;
  try {
    writeFileSync(fresh.path, fresh.mutated);
    let killedBy: Run | undefined;
    let last: Run | undefined;
    for (const g of groups(m)) {
      if (killedBy && !ALL_CONFIGS) break;
      last = await runVitest(
        g.config,
        g.files,
        `mutant-${n}-${g.config === CHAIN_CONFIG ? 'chain' : 'unit'}`,
      );
      if (!last.ok) killedBy ??= last;
    }
    const run = killedBy ?? last;
    return {
      n,
      mutant: m,
      status: killedBy ? 'killed' : 'survived',
      file: fresh.file,
      line: fresh.line,
      detail: run?.summary ?? '',
      seconds: elapsed(),
      log: run?.log,
    };
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const short = (s: string, n: number) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

function table(results: Result[]): string {
  const rows = results.map((r) => [
    String(r.n),
    r.status,
    `${(r.file ?? r.mutant.file).replace(/^electron\/core\//, '')}:${r.line ?? '?'}`,
    short(r.mutant.why ?? '', 58),
    `${Math.round(r.seconds)}s`,
    short(r.detail, 60),
  ]);
  const head = ['#', 'status', 'where', 'mutant', 'time', 'tests'];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function list(): void {
  for (const n of selected()) {
    const m = MUTANTS[n - 1] as Mutant;
    const found = locate(m);
    const where =
      'stale' in found
        ? `${m.file} — STALE (${found.stale})`
        : `${found.file} — line ${found.line}`;
    console.log(`${String(n).padStart(2)}. ${where}`);
    console.log(`    - ${m.original.trim()}`);
    console.log(`    + ${m.replacement.trim() || '(line removed)'}`);
    if (m.why) console.log(`    ${m.why}`);
    console.log(`    tests: ${m.tests.join(' ')}`);
  }
}

async function main(): Promise<void> {
  if (flag('--list')) return list();
  const picked = selected();
  console.log(
    `Purser mutation check: ${picked.length} mutant(s) in ${ROOT}${BASELINE ? ' (with baselines)' : ''}; logs in ${LOG_DIR}`,
  );
  const results: Result[] = [];
  for (const n of picked) {
    const m = MUTANTS[n - 1] as Mutant;
    process.stdout.write(`[${n}] ${m.file} — ${short(m.why ?? m.replacement, 70)} … `);
    const r = await check(n, m);
    results.push(r);
    console.log(`${r.status.toUpperCase()} (${Math.round(r.seconds)}s) ${short(r.detail, 80)}`);
  }
  console.log(`\n${table(results)}\n`);
  const killed = results.filter((r) => r.status === 'killed').length;
  const survived = results.filter((r) => r.status === 'survived');
  const counted = killed + survived.length;
  const other = results.filter((r) => r.status !== 'killed' && r.status !== 'survived');
  console.log(
    `Killed ${killed} of ${counted} (${counted ? ((100 * killed) / counted).toFixed(1) : '0.0'}%)` +
      (other.length ? `; not run: ${other.map((r) => `#${r.n} ${r.status}`).join(', ')}` : ''),
  );
  if (survived.length) console.log(`Survived: ${survived.map((r) => `#${r.n}`).join(', ')}`);
  const json = option('--json');
  if (json)
    writeFileSync(
      json,
      JSON.stringify(
        results.map(({ mutant, ...r }) => ({ ...r, ...mutant })),
        null,
        2,
      ),
    );
}

main().catch((error: unknown) => {
  stopChild();
  restore();
  console.error(error);
  process.exit(1);
});
