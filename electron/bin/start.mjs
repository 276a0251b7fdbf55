#!/usr/bin/env node
// `npm start`: run the desktop app if Electron's binary is installed and can open a
// window here; otherwise say so plainly and run the same wallet headless (`purser serve`).
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The `electron` package exports the path of its binary, and throws when the binary
    // was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no network at install).
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function canOpenWindow() {
  return (
    process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
  );
}

/** The newest modification time under `dir` (source folders are small). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    latest = Math.max(latest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return latest;
}

/** Builds the app (window included) unless out/ is newer than every source it comes from. */
function buildIfStale() {
  const built = join(root, 'out', 'renderer', 'index.html');
  const sources = ['renderer', 'shared', 'electron'].map((d) => newest(join(root, d)));
  const client = join(root, 'out', 'client', 'purser-client.js');
  const cli = join(root, 'out', 'cli', 'cli.mjs');
  const fresh = (file) => existsSync(file) && statSync(file).mtimeMs >= Math.max(...sources);
  if (fresh(built) && fresh(cli) && existsSync(client)) return true;
  process.stdout.write('Purser: building the app, its window and the agent client…\n');
  const run = (args) =>
    spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
      .status === 0;
  // The same steps as `npm run build`: the app and its window, the `purser` command, then
  // the agent client (`purser/client`).
  return (
    run([join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']) &&
    run([join(root, 'electron', 'build', 'build-cli.mjs')]) &&
    run([
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'shared', 'client', 'tsconfig.build.json'),
    ])
  );
}

function headless(reason) {
  process.stdout.write(
    `Purser: ${reason}\n` +
      'Starting Purser headless instead (`purser serve`): the same wallet and API; the owner\n' +
      'window opens in your browser from the login link printed below.\n\n',
  );
  if (!buildIfStale()) {
    process.stdout.write(
      'Purser: the window could not be built (see above); the API runs, and the window\n' +
        'appears once `npm run build` succeeds (no restart needed).\n\n',
    );
  }
  const child = spawn(
    process.execPath,
    [join(root, 'electron/bin/purser.mjs'), 'serve', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

/**
 * better-sqlite3 must be built for Electron's ABI. Build a copy under .electron-native/
 * (once per Electron version) and leave node_modules built for Node, which tests and
 * `purser serve` use. Needs Electron's headers, which node-gyp downloads once.
 */
function ensureElectronSqlite() {
  const version = require('electron/package.json').version;
  const target = join(root, '.electron-native', 'better-sqlite3');
  const marker = join(target, '.electron-version');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === version) return true;
  rmSync(target, { recursive: true, force: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), target, { recursive: true });
  rmSync(join(target, 'build'), { recursive: true, force: true });
  process.stdout.write(`Purser: building better-sqlite3 for Electron ${version} (once)…\n`);
  const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const result = spawnSync(
    process.execPath,
    [
      gyp,
      'rebuild',
      '--release',
      `--target=${version}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: target, stdio: 'inherit' },
  );
  if (result.status !== 0) return false;
  writeFileSync(marker, version);
  return true;
}

const binary = electronBinary();
if (!binary) {
  headless(
    "Electron's binary is not installed here (it is an optional dependency: npm leaves it out when its download is blocked or ELECTRON_SKIP_BINARY_DOWNLOAD=1 is set).",
  );
} else if (!canOpenWindow()) {
  headless(
    'there is no display here (no DISPLAY or WAYLAND_DISPLAY), so the desktop window cannot open.',
  );
} else if (!ensureElectronSqlite()) {
  headless(
    'better-sqlite3 could not be built for Electron (node-gyp needs Electron headers from electronjs.org).',
  );
} else {
  if (!buildIfStale()) process.exit(1);
  const child = spawn(binary, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
