import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram, COMMAND_MODULES, commandWord } from '../../electron/cli';
import { PURSER_BIN } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'purser-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The module URLs `purser …args` resolves (the built command, as users run it). */
function modulesLoadedBy(args: string[]): string[] {
  const log = join(dir, `${args.join('-')}.log`);
  const result = spawnSync(
    process.execPath,
    ['--import', join(import.meta.dirname, '..', 'helpers', 'module-log.mjs'), PURSER_BIN, ...args],
    {
      env: { ...process.env, PURSER_MODULE_LOG: log, PURSER_KEY: 'psk_test_x' },
      encoding: 'utf8',
    },
  );
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(log, 'utf8').trim().split('\n');
}

const HEAVY = ['fastify', 'viem', '@x402', 'better-sqlite3', 'ox', '@noble', 'tsx'];
const heavyIn = (urls: string[]) =>
  urls.filter((url) => HEAVY.some((name) => url.includes(`/node_modules/${name}/`)));

describe('the purser command loads only what a command needs', () => {
  it('maps every command and alias to the module that makes it', async () => {
    const all = await buildProgram();
    const names = all.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    expect(Object.keys(COMMAND_MODULES).sort()).toEqual([...names].sort());
    for (const name of names) {
      const load = COMMAND_MODULES[name];
      if (!load) throw new Error(`no module for ${name}`);
      const made = (await load()).flatMap((c) => [c.name(), ...c.aliases()]);
      expect(made, name).toContain(name);
    }
  });

  it('finds the command word past the global options', () => {
    expect(commandWord(['node', 'purser', '--home', '/tmp/x', '--json', 'balance'])).toBe(
      'balance',
    );
    expect(commandWord(['node', 'purser', '--home=/x', 'spend', '--wait', '3'])).toBe('spend');
    expect(commandWord(['node', 'purser', '--help'])).toBeUndefined();
  });

  it('an agent command loads no server, chain or database code, and no zod', () => {
    const urls = modulesLoadedBy(['balance', '--help']);
    // The log is read: the command's own dependency shows in it.
    expect(urls.some((url) => url.includes('/node_modules/commander/'))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
    expect(urls.filter((u) => u.includes('/node_modules/zod/'))).toEqual([]);
  });

  it('purser mcp and an owner command load no server, chain or database code', () => {
    expect(heavyIn(modulesLoadedBy(['mcp', '--help']))).toEqual([]);
    expect(heavyIn(modulesLoadedBy(['agents', '--help']))).toEqual([]);
  });

  it('runs built JavaScript, never TypeScript, and prints its version', () => {
    const urls = modulesLoadedBy(['--version']);
    expect(urls.filter((u) => /\.tsx?$/.test(u))).toEqual([]);
    const version = spawnSync(process.execPath, [PURSER_BIN, '--version'], { encoding: 'utf8' });
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(version.stdout.trim()).toBe(manifest.version);
  });
});
