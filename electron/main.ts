/**
 * The desktop app's composition root: start the wallet and its API, open the window, keep
 * the tray count and notifications current. Everything else lives in the core, which runs
 * the same under `purser serve`.
 */
import { app, ipcMain, safeStorage, type BrowserWindow } from 'electron';
import { osSealer } from './desktop/os-sealer';
import { join } from 'node:path';
import { startServer, DEFAULT_PORT, type RunningServer } from './api/server';
import { randomBase62 } from './core/ids';
import { visible } from '../shared/text/visible';
import { electronSqliteBinding } from './desktop/native-sqlite';
import { notifyAlert, notifyPending } from './desktop/notifications';
import { PendingTray } from './desktop/tray';
import { createSecureWindow } from './desktop/window';

let server: RunningServer | undefined;
let window: BrowserWindow | undefined;
let tray: PendingTray | undefined;

// In the desktop app the owner's secret lives only here and in the window, never on disk.
const ownerToken = `pot_${randomBase62(40)}`;

function openWindow(path = ''): void {
  if (!server) return;
  if (window && !window.isDestroyed()) {
    if (path) void window.loadURL(`${server.info.url}/app/${path}`);
    window.show();
    window.focus();
    return;
  }
  // The window logs in like a browser: a one-time link whose code the page swaps for a
  // session token it keeps, so the page never holds the owner secret (docs/trust-model.md).
  window = createSecureWindow({
    url: server.loginUrl('desktop window'),
    preload: join(import.meta.dirname, '../preload/preload.mjs'),
    title: 'Purser',
  });
  if (path)
    window.webContents.once(
      'did-finish-load',
      () => void window?.loadURL(`${server?.info.url}/app/${path}`),
    );
}

function pendingCount(): number {
  const deps = server?.wallet.deps;
  if (!deps) return 0;
  return deps.spends.countPending() + deps.budgets.countPending();
}

async function start(): Promise<void> {
  const home = process.env.PURSER_HOME ?? app.getPath('userData');
  const port = process.env.PURSER_PORT ? Number(process.env.PURSER_PORT) : DEFAULT_PORT;
  // Chain keys are sealed by the OS key store; where there is none, they stay locked.
  const sealer = await osSealer(safeStorage).catch((error: unknown) => {
    console.warn(error instanceof Error ? error.message : String(error));
    return undefined;
  });
  server = await startServer({
    home,
    port,
    ownerToken,
    sealer,
    nativeBinding: electronSqliteBinding(app.getAppPath()),
    rendererDir: join(import.meta.dirname, '../renderer'),
  });
  const running = server;

  tray = new PendingTray({
    open: () => openWindow(),
    freeze: () => void running.wallet.settings.setFrozen(true),
    quit: () => app.quit(),
  });
  const { events, agents } = running.wallet.deps;
  const refreshCount = () => {
    const count = pendingCount();
    tray?.setCount(count);
    window?.webContents.send('purser:pending-count', count);
  };
  // Notifications show agent text as text: controls and bidi overrides made visible.
  const nameOf = (agentId: string) => visible(agents.get(agentId)?.name ?? agentId);
  events.on('spend', (record) => {
    // Only a request that is or was pending changes the count (most spends never are).
    if (record.expiresAt === null) return;
    refreshCount();
    if (record.status === 'needs_approval')
      notifyPending(
        `${nameOf(record.agentId)} asks to spend`,
        record.amount,
        `${visible(record.merchantName)}: ${visible(record.reason)}`,
        () => openWindow(`#/approvals/${record.id}`),
      );
  });
  events.on('budget_request', (record) => {
    refreshCount();
    if (record.status === 'pending')
      notifyPending(
        `${nameOf(record.agentId)} asks for a budget`,
        record.requested,
        visible(record.purpose),
        () => openWindow('#/approvals'),
      );
  });
  events.on('alert', (alert) =>
    notifyAlert(visible(alert.message), () => openWindow('#/approvals')),
  );
  tray.setCount(pendingCount());
  // The window's session ended (idle, revoked): it asks for a new link, for itself only.
  ipcMain.on('purser:log-in-again', (event) => {
    if (window && event.sender === window.webContents)
      void window.loadURL(running.loginUrl('desktop window'));
  });
  openWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => openWindow());
  app.on('window-all-closed', () => {
    // Purser keeps deciding with the window closed; the tray brings it back.
  });
  app.on('before-quit', (event) => {
    if (!server) return;
    event.preventDefault();
    const closing = server;
    server = undefined;
    void closing.close().finally(() => app.exit(0));
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error('Purser could not start', error);
    app.exit(1);
  });
}
