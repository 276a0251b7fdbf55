import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Tests run the `purser` command as users do (electron/bin/purser.mjs → out/cli/), so the
 * built command must match the sources under test: rebuild it once per run (esbuild, well
 * under a second) rather than trust whatever an earlier build left.
 */
export default function setup(): void {
  const script = join(import.meta.dirname, '..', '..', 'electron', 'build', 'build-cli.mjs');
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building the purser command failed (${script})`);
}
