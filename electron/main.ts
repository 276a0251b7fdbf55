/**
 * The desktop app's composition root. The wallet and its API run beside this process, in
 * an Electron utility process running the same server as `purser serve`
 * (desktop/wallet-process.ts), so that a long synchronous SQLite batch never freezes the
 * tray, the menus or the window. This process opens the window, and follows the owner's
 * event stream over HTTP, as the window does, for the tray count and the notifications.
 *
 * Everything that decides something is a plain function in electron/desktop/, tested under
 * Node; what is left here is wiring.
 */
import {
  app,
  dialog,
  ipcMain,
  safeStorage,
  session,
  utilityProcess,
  type BrowserWindow,
  type IpcMainEvent,
} from 'electron';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DESKTOP_CHANNELS } from '../shared/desktop-bridge';
import { randomBase62 } from './core/ids';
import type { Sealer } from './core/chain/sealer';
import {
  loginItemPlan,
  parsePreferences,
  PREFERENCES_FILE,
  serializePreferences,
  startedAtLogin,
  type DesktopPreferences,
} from './desktop/login-item';
import { electronSqliteBinding } from './desktop/native-sqlite';
import { notificationText, type NotificationText } from './desktop/notification-text';
import { Notifier } from './desktop/notifications';
import { osSealer } from './desktop/os-sealer';
import { TrayFeed } from './desktop/owner-stream';
import { appUrl, parseAppRoute, routeToApply, type AppRoute } from './desktop/routes';
import { PendingTray } from './desktop/tray';
import { trayIconDir } from './desktop/tray-icons';
import {
  badgeKind,
  initialTrayState,
  pendingCount,
  trayView,
  type TrayState,
} from './desktop/tray-state';
import { createSecureWindow, guardSession, lockDown } from './desktop/window';
import { appOriginOf, checkIpcSender } from './desktop/window-options';
import { WalletConnection, shouldRestart, type WalletChild } from './desktop/wallet-connection';
import { walletPort } from './desktop/wallet-protocol';

const APP_ID = 'com.purser.app'; // electron-builder.yml's appId: Windows toasts need it
const WINDOW_LABEL = 'desktop window';

// In the desktop app the owner's secret lives only here and in the wallet's process,
// never on disk; it reaches the wallet in its start message, never in argv or env.
const ownerToken = `pot_${randomBase62(40)}`;

interface Running {
  wallet: WalletConnection;
  feed: TrayFeed;
}

let running: Running | undefined;
let appOrigin = '';
let sealer: Sealer | undefined;
let tray: PendingTray | undefined;
let notifier: Notifier | undefined;
let window: BrowserWindow | undefined;
let opening: Promise<void> | undefined;
let pendingRoute: AppRoute | undefined;
let quitting = false;
let trayState: TrayState | undefined;
let preferences: DesktopPreferences = { openAtLogin: false };
const restarts: number[] = [];

function warn(error: unknown): void {
  console.warn(`Purser: ${error instanceof Error ? error.message : String(error)}`);
}

// ---- the window ----

function showWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** Loads the route asked for once the window's login code is gone (routes.ts). */
function applyPendingRoute(): void {
  if (!window || window.isDestroyed()) return;
  const due = routeToApply(window.webContents.getURL(), pendingRoute);
  if (!due) return;
  pendingRoute = undefined;
  // Only a route the window knows is ever loaded (routes.ts).
  const route = parseAppRoute(due);
  if (route) void window.loadURL(appUrl(appOrigin, route));
}

async function openWindow(route?: AppRoute): Promise<void> {
  if (route) pendingRoute = route;
  if (window && !window.isDestroyed()) {
    applyPendingRoute();
    showWindow(window);
    return;
  }
  if (!running) return;
  opening ??= (async () => {
    const current = running;
    if (!current) return;
    // The window logs in like a browser: a one-time link whose code the page swaps for a
    // session token it keeps, so the page never holds the owner secret (docs/trust-model.md).
    const url = await current.wallet.loginLink(WINDOW_LABEL);
    const win = createSecureWindow({
      url,
      appOrigin: () => appOrigin,
      preload: join(import.meta.dirname, '../preload/preload.cjs'),
      title: 'Purser',
      devTools: !app.isPackaged,
    });
    window = win;
    win.webContents.on('did-finish-load', () => {
      applyPendingRoute();
      if (trayState) win.webContents.send(DESKTOP_CHANNELS.pendingCount, pendingCount(trayState));
    });
    win.webContents.on('did-navigate-in-page', () => applyPendingRoute());
    // Closing the window hides it: Purser keeps deciding, the tray brings it back, and the
    // window keeps its session instead of leaving one behind each time.
    win.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      if (window === win) window = undefined;
    });
  })()
    .catch(warn)
    .finally(() => {
      opening = undefined;
    });
  return opening;
}

function fromAppWindow(event: IpcMainEvent): boolean {
  const frame = event.senderFrame;
  return checkIpcSender(frame?.url, appOrigin, {
    mainFrame: frame !== null && frame.parent === null,
    appWindow: window !== undefined && !window.isDestroyed() && event.sender === window.webContents,
  });
}

// The window's session ended (idle, revoked): it asks for a new link, for itself only.
ipcMain.on(DESKTOP_CHANNELS.logInAgain, (event) => {
  if (!fromAppWindow(event) || !running) return;
  void running.wallet
    .loginLink(WINDOW_LABEL)
    .then((url) => window?.loadURL(url))
    .catch(warn);
});

// ---- the tray, the badge, notifications ----

function onTrayChange(state: TrayState, notices: NotificationText[]): void {
  trayState = state;
  // Start at login is one of the owner's settings (the window's Settings page or the tray);
  // the file beside it only remembers it for the next launch, before the wallet is up.
  if (state.startAtLogin !== null && state.startAtLogin !== preferences.openAtLogin)
    setOpenAtLogin(state.startAtLogin);
  const view = trayView(state, { openAtLogin: preferences.openAtLogin, loginItemSupported: true });
  tray?.show(view);
  const count = pendingCount(state);
  const badge = badgeKind(process.platform);
  if (badge === 'badge-count') app.setBadgeCount(count);
  if (badge === 'overlay-icon' && window && !window.isDestroyed())
    window.setOverlayIcon(
      count > 0 && tray ? tray.image(view.icon) : null,
      count > 0 ? view.tooltip : '',
    );
  if (window && !window.isDestroyed())
    window.webContents.send(DESKTOP_CHANNELS.pendingCount, count);
  for (const text of notices) notifier?.show(text);
}

function preferencesFile(): string {
  return join(app.getPath('userData'), PREFERENCES_FILE);
}

function readPreferences(): DesktopPreferences {
  try {
    return parsePreferences(readFileSync(preferencesFile(), 'utf8'));
  } catch {
    return parsePreferences(undefined);
  }
}

/** Makes the OS start Purser at login, or not, as the owner chose (login-item.ts). */
function applyLoginItem(enabled: boolean): void {
  const plan = loginItemPlan(enabled, {
    platform: process.platform,
    execPath: process.execPath,
    packaged: app.isPackaged,
    appPath: app.getAppPath(),
    appImage: process.env.APPIMAGE,
    configHome: process.env.XDG_CONFIG_HOME || join(homedir(), '.config'),
  });
  if (plan.kind === 'login-item') app.setLoginItemSettings(plan.settings);
  if (plan.kind === 'autostart') {
    if (plan.content === null) rmSync(plan.path, { force: true });
    else {
      mkdirSync(dirname(plan.path), { recursive: true });
      writeFileSync(plan.path, plan.content, { mode: 0o644 });
    }
  }
}

function setOpenAtLogin(enabled: boolean): void {
  preferences = { openAtLogin: enabled };
  try {
    writeFileSync(preferencesFile(), serializePreferences(preferences), { mode: 0o600 });
    applyLoginItem(enabled);
  } catch (error) {
    warn(error);
  }
  if (trayState) onTrayChange(trayState, []);
}

// ---- the wallet's process ----

function forkWallet(): WalletChild {
  return utilityProcess.fork(join(import.meta.dirname, 'wallet.js'), [], {
    serviceName: 'Purser wallet',
    stdio: 'inherit',
  });
}

async function startWallet(): Promise<void> {
  const home = process.env.PURSER_HOME ?? app.getPath('userData');
  const wallet = new WalletConnection(forkWallet(), sealer, warn);
  wallet.onExit((code, expected) => {
    if (expected || quitting || running?.wallet !== wallet) return;
    running.feed.close();
    running = undefined;
    if (shouldRestart(restarts, Date.now())) {
      restarts.push(Date.now());
      console.warn(`Purser: the wallet stopped (code ${code}); starting it again.`);
      void startWallet().then(reloadWindow, fail);
    } else {
      fail(new Error(`The wallet stopped (code ${code}) and did not stay up when restarted.`));
    }
  });
  const ready = await wallet.start({
    home,
    port: walletPort(process.env.PURSER_PORT),
    ownerToken,
    rendererDir: join(import.meta.dirname, '../renderer'),
    nativeBinding: electronSqliteBinding(app.getAppPath()) ?? null,
  });
  appOrigin = appOriginOf(ready.url);
  const feed = new TrayFeed({
    baseUrl: ready.url,
    ownerToken,
    onChange: (state, notices) =>
      onTrayChange(
        state,
        notices.map((n) => notificationText(n, process.platform)),
      ),
    log: (message) => console.warn(`Purser: ${message}`),
  });
  running = { wallet, feed };
  feed.start();
}

/** After a restart the wallet's sessions are gone: the window logs in again. */
function reloadWindow(): void {
  if (!running || !window || window.isDestroyed()) return;
  const win = window;
  void running.wallet
    .loginLink(WINDOW_LABEL)
    .then((url) => win.loadURL(url))
    .catch(warn);
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error('Purser could not start', message);
  dialog.showErrorBox('Purser could not start', message);
  quitting = true;
  app.exit(1);
}

async function start(): Promise<void> {
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  // Chain keys are sealed by the OS key store; where there is none, they stay locked.
  sealer = await osSealer(safeStorage).catch((error: unknown) => {
    warn(error);
    return undefined;
  });
  preferences = readPreferences();
  // Registered again at each start while on (the app may have moved, an AppImage been
  // renamed); a login item the owner set up elsewhere is left alone while off.
  if (preferences.openAtLogin)
    try {
      applyLoginItem(true);
    } catch (error) {
      warn(error);
    }
  guardSession(session.defaultSession, () => appOrigin);
  const iconDir = trayIconDir({
    packaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
  });
  notifier = new Notifier((route) => void openWindow(route));
  tray = new PendingTray(iconDir, {
    show: () => void openWindow(),
    pause: () => void running?.feed.freeze().catch(warn),
    login: () => void running?.feed.setStartAtLogin(!preferences.openAtLogin).catch(warn),
    quit: () => app.quit(),
  });
  onTrayChange(initialTrayState, []);
  await startWallet();
  const loginItem = process.platform === 'darwin' ? app.getLoginItemSettings() : undefined;
  if (!startedAtLogin(process.argv, loginItem?.wasOpenedAtLogin)) await openWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch focuses the window of the first.
  app.on('second-instance', () => void openWindow());
  app.on('activate', () => void openWindow());
  app.on('window-all-closed', () => {
    // Purser keeps deciding with the window closed; the tray brings it back.
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents, () => appOrigin));
  app.on('before-quit', (event) => {
    quitting = true;
    const current = running;
    if (!current) return;
    event.preventDefault();
    running = undefined;
    current.feed.close();
    notifier?.close();
    void current.wallet.stop().finally(() => app.exit(0));
  });
  app.whenReady().then(start).catch(fail);
}
