import { accessSync, constants, statSync } from 'node:fs';
import { posix, resolve, win32 } from 'node:path';
import { DEFAULT_URL } from '../../shared/client';
import { defaultHome } from '../core/paths';
import type { McpClient } from './install-config';

/**
 * Where an MCP entry is told to find Node and Purser (`purser mcp install`, install.ts):
 * values that must survive a Node upgrade and a Purser started on another port.
 */
/**
 * How the client starts Node, written as the entry's `command`. The entry must keep working
 * after a Node upgrade and when the client is a GUI app, two needs that pull apart:
 * - The path of the Node running this (process.execPath, what was written before) is the
 *   binary itself, symlinks resolved, so it names one version
 *   (`~/.nvm/versions/node/v22.1.0/…`, `/opt/homebrew/Cellar/node/22.1.0/…`): an upgrade
 *   that removes it breaks the entry.
 * - A bare `node`, looked up on PATH when the client starts it, follows upgrades, but a GUI
 *   app on macOS started from the Dock or Finder gets launchd's PATH
 *   (/usr/bin:/bin:/usr/sbin:/sbin), not the shell's: Claude Desktop then fails with `spawn
 *   node ENOENT` for a Node from Homebrew, nvm, fnm, Volta or asdf, and Cursor has the same
 *   reports. Linux desktops are alike for a Node set up in ~/.bashrc.
 * So: the `node` that this shell's PATH finds, as PATH names it (symlinks not resolved), is
 * written as an absolute path when it is not inside a folder of one Node version:
 * `/opt/homebrew/bin/node` (a link Homebrew moves on upgrade), `/usr/local/bin/node` (the
 * file the nodejs.org installer replaces), `/usr/bin/node` (the distribution's), the shims
 * of Volta, asdf, mise or nodenv, nvm-windows' `C:\Program Files\nodejs`. Every client
 * finds it, whatever its PATH, and an upgrade keeps it. When that `node` is a version's own
 * (nvm and fnm put one version's folder on PATH), no path survives an upgrade: Claude Code,
 * a terminal program started from the user's shell, gets a bare `node` (the shell's PATH,
 * hence the version in use); a GUI client gets that version's path, and `install` says to
 * run it again after that version is removed (running it again rewrites only the command).
 * With no `node` on PATH at all, the Node running this is written as it is.
 */
export function nodeCommand(
  client: McpClient,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  execPath: string = process.execPath,
): { command: string; versioned: boolean } {
  const found = nodeOnPath(env, platform);
  if (found && !ONE_VERSION.test(found)) return { command: found, versioned: false };
  if (found && client === 'claude-code') return { command: 'node', versioned: false };
  // A GUI client, or no `node` on PATH at all: the Node running this, as it is.
  const command = found ?? execPath;
  return { command, versioned: ONE_VERSION.test(command) };
}

/**
 * A folder of one Node version: named for its version (`v22.1.0`, `22.1.0`: nvm, n, nodenv,
 * asdf and mise installs, Homebrew's Cellar, Volta's images), or fnm's folder per shell.
 */
const ONE_VERSION = /[\\/]v?\d+\.\d+\.\d+[^\\/]*[\\/]|[\\/]fnm_multishells[\\/]/i;

/** The first `node` on PATH that is an executable file, as PATH spells it; undefined: none. */
function nodeOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((dir) => dir !== '');
  const names = windows
    ? (env.PATHEXT ?? '.EXE;.CMD').split(';').map((ext) => `node${ext.toLowerCase()}`)
    : ['node'];
  for (const dir of dirs) {
    // A relative PATH entry depends on the working directory, which the client does not share.
    if (!path.isAbsolute(dir)) continue;
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        if (!statSync(file).isFile()) continue;
        if (!windows) accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * PURSER_URL for the entry, only when the owner fixed Purser on a port of its own: with
 * PURSER_PORT set to it (the setting `purser serve` and the desktop app read), and the
 * running server on it. Otherwise `purser mcp` finds the server as electron/cli/agent-env.ts
 * does (PURSER_URL, else the data folder's server.json, else the default port): the URL of
 * a `--port 0` run dies with it, and a URL written for the default port adds nothing but a
 * value to go stale.
 */
export function pinnedUrl(
  env: NodeJS.ProcessEnv = process.env,
  runningUrl?: string,
): string | undefined {
  const value = env.PURSER_PORT?.trim() ?? '';
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  if (port === 0 || port > 65_535 || String(port) === new URL(DEFAULT_URL).port) return undefined;
  if (runningUrl !== undefined && new URL(runningUrl).port !== String(port)) return undefined;
  return `http://127.0.0.1:${port}`;
}

/**
 * PURSER_HOME for the entry: the data folder, when it is not the one `purser mcp` finds
 * without it. The default is taken as a GUI client sees it: without this shell's
 * PURSER_HOME or XDG_CONFIG_HOME (set in a shell profile, which such a client does not read).
 */
export function homeToWrite(
  home: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const dir = resolve(home ?? defaultHome(env));
  return dir === resolve(defaultHome({ APPDATA: env.APPDATA })) ? undefined : dir;
}
