import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of Purser's package.json, found by walking up from this module. The same code
 * runs from electron/core/ (sources, tests), out/cli/ (the built `purser` command) and
 * out/main/ (the desktop app), so paths to files of the package (the window's build, the
 * `purser` launcher) are taken from here, not from where one module happens to sit.
 */
export function packageRoot(): string {
  return (found ??= findRoot(import.meta.dirname)).dir;
}

/** The version in Purser's package.json (read once, with the root). */
export function packageVersion(): string {
  return String((found ??= findRoot(import.meta.dirname)).version);
}

let found: { dir: string; version: unknown } | undefined;

function findRoot(from: string): { dir: string; version: unknown } {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = readManifest(manifest);
      if (name === 'purser') return { dir, version };
    }
    if (dirname(dir) === dir) throw new Error(`Purser's package.json not found above ${from}`);
  }
}

function readManifest(file: string): { name?: unknown; version?: unknown } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return {};
  }
}
