/**
 * The import boundaries of docs/architecture.md are enforced by ESLint (eslint.config.js),
 * not by memory: each forbidden import below, linted as if it were written in that folder,
 * is refused, and an allowed one passes.
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The messages of the import rule for `code` as if it were the file `path`. */
async function refusals(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('import boundaries', () => {
  it('the core imports no shell, no transport, no Electron and no UI', async () => {
    const file = 'electron/core/spend/probe.ts';
    for (const from of [
      "'../../api/app'",
      "'../../cli/owner-client'",
      "'../../mcp/server'",
      "'../../desktop/tray'",
      "'fastify'",
      "'@fastify/static'",
      "'fastify-type-provider-zod'",
      "'@modelcontextprotocol/sdk/server/mcp.js'",
      "'electron'",
      "'react'",
    ]) {
      expect(await refusals(file, `import x from ${from};\nexport { x };\n`), from).not.toEqual([]);
    }
    expect(await refusals(file, "import { x } from '../ledger/ledger';\nexport { x };\n")).toEqual(
      [],
    );
  });

  it('the shells reach the core through its services, never its repositories', async () => {
    for (const file of ['electron/api/probe.ts', 'electron/cli/probe.ts', 'electron/mcp/probe.ts'])
      expect(
        await refusals(file, "import { x } from '../core/wallet-internals';\nexport { x };\n"),
        file,
      ).not.toEqual([]);
  });

  it('shared/ imports nothing from electron/ and no Node built-in', async () => {
    for (const from of ["'../electron/core/wallet'", "'node:fs'", "'fs'"])
      expect(
        await refusals('shared/probe.ts', `import x from ${from};\nexport { x };\n`),
        from,
      ).not.toEqual([]);
  });
});
