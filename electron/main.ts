/**
 * The desktop app's composition root: start the wallet and its API, open the window, keep
 * the tray count and notifications current. Everything else lives in the core, which runs
 * the same under `purser serve`.
 */
import { app, ipcMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { startServer, DEFAULT_PORT, type RunningServer } from './api/server';
import { randomBase62 } from './core/ids';
import { electronSqliteBinding } from './desktop/native-sqlite';
import { notifyPending } from './desktop/notifications';
import { PendingTray } from './desktop/tray';
import { createSecureWindow } from './desktop/window';
import type { OwnerSession } from '../shared/desktop-bridge';

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
  window = createSecureWindow({
    url: `${server.info.url}/app/${path}`,
    preload: join(import.meta.dirname, '../preload/preload.mjs'),
    title: 'Purser',
  });
}

function pendingCount(): number {
  return server?.wallet.deps.spends.list('needs_approval', 1000).length ?? 0;
}

async function start(): Promise<void> {
  const home = process.env.PURSER_HOME ?? app.getPath('userData');
  const port = process.env.PURSER_PORT ? Number(process.env.PURSER_PORT) : DEFAULT_PORT;
  server = await startServer({
    home,
    port,
    ownerToken,
    nativeBinding: electronSqliteBinding(app.getAppPath()),
    rendererDir: join(import.meta.dirname, '../renderer'),
  });
  const running = server;

  ipcMain.handle('purser:session', (event): OwnerSession => {
    // Only our own window, showing our own origin, gets the secret.
    if (
      !window ||
      event.sender !== window.webContents ||
      !event.senderFrame?.url.startsWith(running.info.url)
    ) {
      throw new Error('not the Purser window');
    }
    return { baseUrl: running.info.url, token: ownerToken };
  });

  tray = new PendingTray({
    open: () => openWindow(),
    freeze: () => void running.wallet.settings.setFrozen(true),
    quit: () => app.quit(),
  });
  running.wallet.deps.events.on('spend', (record) => {
    const count = pendingCount();
    tray?.setCount(count);
    window?.webContents.send('purser:pending-count', count);
    if (record.status === 'needs_approval') {
      const name = running.wallet.deps.agents.get(record.agentId)?.name ?? record.agentId;
      notifyPending(record, name, (id) => openWindow(`#/approvals/${id}`));
    }
  });
  tray.setCount(pendingCount());
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
