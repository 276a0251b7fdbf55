/** Opt-in start at login (electron/desktop/login-item.ts). */
import { describe, expect, it } from 'vitest';
import {
  desktopExecArg,
  HIDDEN_FLAG,
  loginItemPlan,
  parsePreferences,
  serializePreferences,
  startedAtLogin,
  type LaunchFacts,
} from '../../../electron/desktop/login-item';

const facts = (over: Partial<LaunchFacts>): LaunchFacts => ({
  platform: 'linux',
  execPath: '/opt/Purser/purser',
  packaged: true,
  appPath: '/opt/Purser/resources/app.asar',
  appImage: undefined,
  configHome: '/home/o/.config',
  ...over,
});

describe('the desktop preference', () => {
  it('is off unless the file says true', () => {
    expect(parsePreferences(undefined)).toEqual({ openAtLogin: false });
    expect(parsePreferences('')).toEqual({ openAtLogin: false });
    expect(parsePreferences('{broken')).toEqual({ openAtLogin: false });
    expect(parsePreferences('{"openAtLogin":"yes"}')).toEqual({ openAtLogin: false });
    expect(parsePreferences('{"openAtLogin":true}')).toEqual({ openAtLogin: true });
    expect(parsePreferences(serializePreferences({ openAtLogin: true }))).toEqual({
      openAtLogin: true,
    });
  });
});

describe('loginItemPlan', () => {
  it('macOS and Windows: a login item, started hidden in the tray', () => {
    expect(loginItemPlan(true, facts({ platform: 'darwin' }))).toEqual({
      kind: 'login-item',
      settings: { openAtLogin: true },
    });
    expect(
      loginItemPlan(false, facts({ platform: 'win32', execPath: 'C:\\P\\Purser.exe' })),
    ).toEqual({
      kind: 'login-item',
      settings: { openAtLogin: false, path: 'C:\\P\\Purser.exe', args: [HIDDEN_FLAG] },
    });
    // A checkout: Electron's binary, with the app's folder.
    expect(
      loginItemPlan(
        true,
        facts({
          platform: 'win32',
          packaged: false,
          execPath: 'C:\\e.exe',
          appPath: 'C:\\my repo',
        }),
      ),
    ).toMatchObject({ settings: { args: ['"C:\\my repo"', HIDDEN_FLAG] } });
  });

  it('Linux: an XDG autostart entry, the AppImage itself when there is one; removed when off', () => {
    const on = loginItemPlan(true, facts({ appImage: '/home/o/Apps/Purser 1.0.AppImage' }));
    expect(on).toMatchObject({
      kind: 'autostart',
      path: '/home/o/.config/autostart/purser.desktop',
    });
    const content = on.kind === 'autostart' ? on.content : null;
    expect(content).toContain('[Desktop Entry]');
    expect(content).toContain('Exec="/home/o/Apps/Purser 1.0.AppImage" --hidden\n');
    expect(loginItemPlan(false, facts({}))).toMatchObject({ kind: 'autostart', content: null });
    const checkout = loginItemPlan(
      true,
      facts({ packaged: false, execPath: '/r/electron', appPath: '/r' }),
    );
    expect(checkout.kind === 'autostart' && checkout.content).toContain(
      'Exec=/r/electron /r --hidden\n',
    );
  });

  it('quotes Exec arguments as the desktop entry spec says', () => {
    expect(desktopExecArg('/usr/bin/purser')).toBe('/usr/bin/purser');
    expect(desktopExecArg('/a b/$x"`\\%')).toBe('"/a b/\\$x\\"\\`\\\\%%"');
  });

  it('a login start stays in the tray', () => {
    expect(startedAtLogin(['/opt/Purser/purser', HIDDEN_FLAG])).toBe(true);
    expect(startedAtLogin(['/opt/Purser/purser'])).toBe(false);
    expect(startedAtLogin(['/Applications/Purser.app/Contents/MacOS/Purser'], true)).toBe(true);
  });
});
