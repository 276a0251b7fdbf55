import { BrowserWindow, shell, type WebContents } from 'electron';

/**
 * The one way Purser opens a window: context isolation and the sandbox on, Node off, no
 * navigation away from the app, no new windows (links open in the system browser), and
 * no permission ever granted. Secrets reach the page only through the preload bridge.
 */
export function createSecureWindow(options: {
  url: string;
  preload: string;
  title: string;
}): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    title: options.title,
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  lockDown(window.webContents, new URL(options.url).origin);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}

function lockDown(contents: WebContents, appOrigin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== appOrigin) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
