/**
 * What a newcomer meets first: the command `purser serve` prints for the owner CLI runs
 * as printed; a window built after the server started is served without a restart; and
 * against the desktop app (no owner token on disk) the CLI says plainly why it cannot
 * help, instead of a confusing failure.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli, startServe } from '../helpers/cli';
import { startTestServer } from '../helpers/server';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

vi.setConfig({ testTimeout: 60_000 });

function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', command], { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('first run', () => {
  it('the owner CLI command that serve prints runs as printed, from another folder', async () => {
    const home = join(tmpHome(), "data 'folder'"); // spaces and quotes must survive
    const s = await startServe(home);
    try {
      const line = /owner CLI: +(.+)\n/.exec(s.output())?.[1] ?? '';
      expect(line).toMatch(/^node .+purser\.mjs --home .+ agents list$/);
      const ran = await sh(`cd / && ${line}`);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toMatch(/No agents|agent/i);
    } finally {
      await s.stop();
      cleanupTmpDirs();
    }
  });

  it('a window built after the server started is served without a restart', async () => {
    const rendererDir = join(tmpHome(), 'renderer');
    const t = await startTestServer({ rendererDir });
    const before = await fetch(`${t.url}/app/`);
    expect(before.status).toBe(503);
    expect(await before.text()).toContain('npm run build');

    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><script src="x.js"></script>');
    const after = await fetch(`${t.url}/app/`);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('<script');
  });

  it('against the desktop app the owner CLI explains that it keeps no token on disk', async () => {
    const home = tmpHome();
    await startTestServer({ home, ownerToken: `pot_${'d'.repeat(40)}` });
    const listed = await runCli(['--home', home, 'agents', 'list']);
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toContain('desktop app is running');
    expect(listed.stderr).toContain('purser serve');
  });
});
