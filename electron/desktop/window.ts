import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import {
  contentSecurityPolicy,
  isAllowedNavigation,
  isAllowedRequest,
  isPermissionGranted,
  windowOpenDecision,
  windowOptions,
  withCsp,
  type WindowOptionsInput,
} from './window-options';

/**
 * The one way Purser opens a window: the options from windowOptions() (context isolation,
 * the sandbox, no Node, web security), and the guards of lockDown(). Every decision is a
 * plain function in window-options.ts, unit-tested there; this file only wires them in.
 */
export function createSecureWindow(
  options: WindowOptionsInput & { url: string; appOrigin: () => string },
): BrowserWindow {
  const window = new BrowserWindow(windowOptions(options));
  lockDown(window.webContents, options.appOrigin);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}

/**
 * Guards for any webContents: no navigation or redirect away from the app, no new
 * windows (web links open in the system browser), no <webview>. `appOrigin` is read at
 * each decision: the wallet keeps its origin across a restart unless its port was 0.
 */
const lockedDown = new WeakSet<WebContents>();

export function lockDown(contents: WebContents, appOrigin: () => string): void {
  if (lockedDown.has(contents)) return;
  lockedDown.add(contents);
  const refuse = (event: { preventDefault(): void }, url: string) => {
    if (!isAllowedNavigation(url, appOrigin())) event.preventDefault();
  };
  contents.on('will-navigate', (event) => refuse(event, event.url));
  contents.on('will-frame-navigate', (event) => refuse(event, event.url));
  contents.on('will-redirect', (event) => refuse(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url, appOrigin());
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
}

/**
 * Guards for the session the window runs in: requests only to the wallet's origin, a
 * strict content security policy added to every response from it, and no permission
 * ever granted (asked for or merely checked).
 */
export function guardSession(session: Session, appOrigin: () => string): void {
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequest(details.url, appOrigin()) }),
  );
  session.webRequest.onHeadersReceived((details, callback) => {
    let fromApp = false;
    try {
      fromApp = new URL(details.url).origin === appOrigin();
    } catch {
      fromApp = false;
    }
    if (!fromApp) return callback({});
    callback({
      responseHeaders: withCsp(details.responseHeaders, contentSecurityPolicy(appOrigin())),
    });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(isPermissionGranted(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  session.setDevicePermissionHandler(() => false);
}
