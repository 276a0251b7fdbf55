/**
 * Every decision that keeps the owner's window locked down, as plain functions: the
 * window's options, where it may navigate, what it may open, which requests it may make,
 * the content security policy, which permission requests it gets (none) and which IPC
 * senders the main process listens to. window.ts wires them into Electron; they are
 * unit-tested under Node (test/unit/desktop/window-options.test.ts), since Electron itself
 * cannot run where Purser is built and tested.
 *
 * Only types come from Electron here: this module loads under plain Node.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** The path the owner's window lives under on the wallet's origin (electron/api/ui.ts). */
export const APP_PATH = '/app/';

export interface WindowOptionsInput {
  /** The built preload script (a CommonJS file: sandboxed preloads cannot be ES modules). */
  preload: string;
  title: string;
  /** Developer tools: on in a checkout, off in a packaged app. */
  devTools: boolean;
}

/**
 * The options of every window Purser opens. The page is the owner's window into the
 * wallet: it runs no Node, sits in Chromium's sandbox, shares no JavaScript world with the
 * preload, and keeps the web's same-origin rules. The preload bridge (preload.ts) is its
 * only way to the main process.
 */
export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    title: input.title,
    show: false,
    webPreferences: {
      preload: input.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools,
    },
  };
}

function parse(url: string | undefined): URL | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The wallet's origin, `http://127.0.0.1:<port>`, from its URL; throws on anything else. */
export function appOriginOf(serverUrl: string): string {
  const url = parse(serverUrl);
  if (!url || url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || !url.port)
    throw new Error(`The wallet must listen on http://127.0.0.1:<port>, not ${serverUrl}.`);
  return url.origin;
}

/** Whether `url` is a page of the owner's window: the wallet's origin, under /app/. */
function isAppPage(url: URL, appOrigin: string): boolean {
  return (
    url.origin === appOrigin &&
    url.username === '' &&
    url.password === '' &&
    (url.pathname === '/app' || url.pathname.startsWith(APP_PATH))
  );
}

/**
 * Whether the window may navigate (or be redirected) to `url`: only to the owner's window
 * itself. Everything else, another origin, another path of the wallet (its API), `file:`,
 * `javascript:`, `data:`, is refused.
 */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && isAppPage(parsed, appOrigin);
}

/** What to do with `window.open` or a `target=_blank` link: never a new Electron window. */
export interface WindowOpenDecision {
  action: 'deny';
  /** A web page elsewhere opens in the system browser; anything else is dropped. */
  openExternally: string | null;
}

export function windowOpenDecision(url: string, appOrigin: string): WindowOpenDecision {
  const parsed = parse(url);
  const external =
    parsed !== undefined &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.origin !== appOrigin &&
    parsed.username === '' &&
    parsed.password === '';
  return { action: 'deny', openExternally: external ? parsed.href : null };
}

/** Schemes of requests that leave the renderer for the network or the disk. */
const FETCHING_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/**
 * Whether the window's session may make a request to `url`. Network and file requests go
 * to the wallet's origin only (the CSP says the same; this holds even for what a CSP does
 * not cover, such as a navigation the page did not start). Other schemes (`data:`, `blob:`,
 * `devtools:`) never leave the process and are left to the CSP.
 */
export function isAllowedRequest(url: string, appOrigin: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (!FETCHING_SCHEMES.has(parsed.protocol)) return true;
  return parsed.origin === appOrigin;
}

/**
 * The content security policy the main process adds to every response from the wallet's
 * origin. The server sends its own (electron/api/ui.ts); a page under two policies obeys
 * both, so this one can only tighten it: nothing is allowed by default, scripts, styles,
 * images and fonts come from the app itself, the page talks to the wallet's exact origin
 * only, and it can be neither framed nor frame anything, post forms, or start workers.
 * Styles keep 'unsafe-inline' as the server's policy does (the window's pages were built
 * and browser-tested under it).
 */
export function contentSecurityPolicy(appOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${appOrigin}`,
    "manifest-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "worker-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * `headers` with `csp` added as one more Content-Security-Policy (the server's own, if
 * any, is kept: both apply). Header names are matched without regard to case.
 */
export function withCsp(
  headers: Record<string, string[]> | undefined,
  csp: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let key = 'Content-Security-Policy';
  for (const [name, values] of Object.entries(headers ?? {})) {
    out[name] = [...values];
    if (name.toLowerCase() === 'content-security-policy') key = name;
  }
  out[key] = [...(out[key] ?? []), csp];
  return out;
}

/**
 * Which permission requests the window gets: none. Purser's window needs no camera,
 * microphone, location, notifications (the main process shows those), clipboard reads,
 * MIDI, HID, serial or USB. The permission is a parameter so that the test can show every
 * kind is refused.
 */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

export interface IpcSenderFacts {
  /** The sender is the main frame of its page, not an iframe inside it. */
  mainFrame: boolean;
  /** The sender is the owner's window that main.ts opened (not another webContents). */
  appWindow: boolean;
}

/**
 * Whether the main process acts on an IPC message: it must come from the owner's window,
 * from its main frame, while that frame shows a page of the app on the wallet's origin.
 * A frame that navigated elsewhere (which isAllowedNavigation should already have
 * stopped) gets no answer.
 */
export function checkIpcSender(
  frameUrl: string | undefined,
  appOrigin: string,
  facts: IpcSenderFacts = { mainFrame: true, appWindow: true },
): boolean {
  if (!facts.mainFrame || !facts.appWindow) return false;
  const parsed = parse(frameUrl);
  return parsed !== undefined && isAppPage(parsed, appOrigin);
}
