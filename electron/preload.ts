import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DesktopBridge } from '../shared/desktop-bridge';
import { DESKTOP_CHANNELS } from '../shared/desktop-bridge';

// One narrow object, and nothing else, crosses into the renderer: no Node API, no
// Electron object (not even the IPC event), no secret. Built as CommonJS: the window is
// sandboxed, and a sandboxed preload cannot be an ES module.
const bridge = {
  onPendingCount: (listener: (count: number) => void) => {
    const handler = (_event: IpcRendererEvent, count: unknown) => {
      if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) listener(count);
    };
    ipcRenderer.on(DESKTOP_CHANNELS.pendingCount, handler);
    return () => {
      ipcRenderer.removeListener(DESKTOP_CHANNELS.pendingCount, handler);
    };
  },
  logInAgain: () => ipcRenderer.send(DESKTOP_CHANNELS.logInAgain),
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('purser', bridge);
