#!/usr/bin/env node
// Builds the `purser` command (electron/cli.ts and everything it loads, but not its
// dependencies) to plain JavaScript in out/cli/, so that no TypeScript is compiled when an
// agent runs `purser spend` or starts `purser mcp`. Each command's module is its own chunk,
// loaded only when that command runs (electron/cli.ts). Runs on `npm install` (prepare) and
// in `npm run build`; esbuild takes well under a second. See docs/performance.md, "Cold start".
// Also builds out/mcpb/purser-mcp.mjs: `purser mcp` with all its dependencies in one file,
// the server of the MCP Bundle (electron/mcp/bundle.ts) that Claude Desktop runs.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// esbuild is a devDependency: an install without them (`npm install --omit=dev`) cannot
// build the command, and should say so rather than fail the whole install.
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  process.stderr.write(
    'purser: esbuild is not installed (devDependencies left out?), so the `purser` command was not built; run `npm install` with devDependencies, then `npm run build:cli`.\n',
  );
  process.exit(0);
}
const outdir = join(root, 'out', 'cli');

const result = await build({
  write: false,
  absWorkingDir: root,
  entryPoints: { cli: 'electron/cli.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Dependencies load from node_modules as they are (better-sqlite3 is native code).
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  metafile: process.argv.includes('--metafile'),
  logLevel: 'warning',
});

// A `purser` already running (a `purser serve`, an agent's `purser mcp`) loads command
// modules later, and a test run may build while another one runs the command: so no file
// is ever half-written or removed under them. Chunks are named by their content hash and
// written before the entry that imports them, each by an atomic rename; chunks that no
// build has written for a day are removed.
const entry = join(outdir, 'cli.mjs');
const files = [...result.outputFiles].sort((a, b) => (a.path === entry) - (b.path === entry));
for (const file of files) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
const written = new Set(files.map((file) => file.path));
const chunks = join(outdir, 'chunks');
for (const name of readdirSync(chunks)) {
  const path = join(chunks, name);
  if (!written.has(path) && Date.now() - statSync(path).mtimeMs > 24 * 3600_000) rmSync(path);
}
if (result.metafile) writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));

const bundle = await build({
  write: false,
  absWorkingDir: root,
  entryPoints: ['electron/mcp/bundle-entry.ts'],
  outfile: join(root, 'out', 'mcpb', 'purser-mcp.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  legalComments: 'eof',
  // CommonJS dependencies inside an ES module still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
for (const file of bundle.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
