#!/usr/bin/env node
// `npm run pack:client`: the agent client as a package of its own, for agent projects
// (docs/clients.md). It is named `purser` and exports only `purser/client`, so an agent's
// code imports it the same way inside this checkout and out of it; it has no dependencies
// (no server, no database, no zod). Prints the tarball's path:
//   npm install /path/to/purser/out/purser-client-0.1.0.tgz
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out');
const staging = join(out, 'client-package');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const run = (command, args, cwd = root) => {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result.stdout;
};

run(process.execPath, [
  join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  '-p',
  join(root, 'shared', 'client', 'tsconfig.build.json'),
]);
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
cpSync(join(out, 'client'), join(staging, 'client'), { recursive: true });
writeFileSync(
  join(staging, 'package.json'),
  `${JSON.stringify(
    {
      name: 'purser',
      version: manifest.version,
      description:
        "Purser's agent client: ask to spend, wait for the owner, pay x402 (purser/client)",
      license: manifest.license,
      type: 'module',
      engines: manifest.engines,
      exports: {
        './client': { types: './client/index.d.ts', default: './client/index.js' },
        './package.json': './package.json',
      },
      files: ['client'],
    },
    null,
    2,
  )}\n`,
);
writeFileSync(
  join(staging, 'README.md'),
  "# purser (agent client)\n\n`import { PurserClient } from 'purser/client'`: the typed client of Purser's agent API.\n" +
    'See the Purser repository\'s README, "TypeScript", and docs/clients.md.\n',
);
const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out], staging));
const tarball = join(out, `purser-client-${manifest.version}.tgz`);
renameSync(join(out, packed[0].filename), tarball);
process.stdout.write(`${tarball}\n`);
