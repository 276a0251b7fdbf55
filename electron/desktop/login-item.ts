/**
 * Opt-in start at login. The wallet's settings (shared/schemas/owner-api.ts) have no such
 * setting, and it is about this computer rather than the wallet, so it is a desktop
 * preference: a small JSON file beside the wallet's data, read and written by the main
 * process only, off until the owner turns it on from the tray menu.
 *
 * macOS and Windows register a login item (app.setLoginItemSettings); Linux, where Electron
 * has none, gets an XDG autostart entry (~/.config/autostart/purser.desktop). Started at
 * login, Purser opens no window: it sits in the tray.
 */
import { join } from 'node:path';

export const PREFERENCES_FILE = 'desktop-preferences.json';

/** The flag a login start passes, so that Purser starts in the tray only. */
export const HIDDEN_FLAG = '--hidden';

export interface DesktopPreferences {
  openAtLogin: boolean;
}

export const defaultPreferences: DesktopPreferences = { openAtLogin: false };

/** The preferences from the file's text; anything unreadable means the defaults. */
export function parsePreferences(text: string | undefined): DesktopPreferences {
  if (text === undefined) return defaultPreferences;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && 'openAtLogin' in value)
      return { openAtLogin: (value as { openAtLogin: unknown }).openAtLogin === true };
  } catch {
    // a damaged file: start from the defaults
  }
  return defaultPreferences;
}

export function serializePreferences(preferences: DesktopPreferences): string {
  return `${JSON.stringify({ openAtLogin: preferences.openAtLogin }, null, 2)}\n`;
}

export interface LaunchFacts {
  platform: NodeJS.Platform;
  /** process.execPath: the app's executable, or Electron's binary in a checkout. */
  execPath: string;
  /** app.isPackaged. */
  packaged: boolean;
  /** app.getAppPath(): in a checkout, Electron needs it as its first argument. */
  appPath: string;
  /** process.env.APPIMAGE: an AppImage must be started from the image, not its mount. */
  appImage: string | undefined;
  /** $XDG_CONFIG_HOME, or ~/.config. */
  configHome: string;
}

export type LoginItemPlan =
  | {
      kind: 'login-item';
      settings: { openAtLogin: boolean; path?: string; args?: string[] };
    }
  | { kind: 'autostart'; path: string; content: string | null }
  | { kind: 'unsupported' };

/** Quotes an argument for a .desktop file's Exec key (the spec's rules). */
export function desktopExecArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`).replaceAll('%', '%%')}"`;
}

/** What to do to make the OS start Purser at login (or not). */
export function loginItemPlan(enabled: boolean, facts: LaunchFacts): LoginItemPlan {
  const command = facts.packaged
    ? [facts.appImage ?? facts.execPath]
    : [facts.execPath, facts.appPath];
  // macOS says itself whether the app was opened at login (startedAtLogin).
  if (facts.platform === 'darwin')
    return { kind: 'login-item', settings: { openAtLogin: enabled } };
  if (facts.platform === 'win32')
    return {
      kind: 'login-item',
      settings: {
        openAtLogin: enabled,
        path: facts.execPath,
        args: [...command.slice(1).map((a) => `"${a}"`), HIDDEN_FLAG],
      },
    };
  if (facts.platform === 'linux') {
    const exec = [...command, HIDDEN_FLAG].map(desktopExecArg).join(' ');
    return {
      kind: 'autostart',
      path: join(facts.configHome, 'autostart', 'purser.desktop'),
      content: enabled
        ? [
            '[Desktop Entry]',
            'Type=Application',
            'Name=Purser',
            'Comment=Governs what AI agents spend',
            `Exec=${exec}`,
            'Terminal=false',
            'X-GNOME-Autostart-enabled=true',
            '',
          ].join('\n')
        : null,
    };
  }
  return { kind: 'unsupported' };
}

/** Whether this start was a login start (then Purser stays in the tray). */
export function startedAtLogin(argv: readonly string[], macWasOpenedAtLogin = false): boolean {
  return argv.includes(HIDDEN_FLAG) || macWasOpenedAtLogin;
}
