import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopBridge } from '../shared/desktop-bridge';

// One narrow object, and nothing else, crosses into the renderer: no Node API, no
// Electron object, no secret.
const bridge = {
  onPendingCount: (listener: (count: number) => void) => {
    const handler = (_event: unknown, count: number) => listener(count);
    ipcRenderer.on('purser:pending-count', handler);
    return () => ipcRenderer.removeListener('purser:pending-count', handler);
  },
  logInAgain: () => ipcRenderer.send('purser:log-in-again'),
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('purser', bridge);
