/**
 * The preload script against a stand-in for Electron's renderer modules: it exposes one
 * object, `window.purser`, with exactly the DesktopBridge's two functions, and nothing of
 * Electron leaks through them.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_CHANNELS, type DesktopBridge } from '../../../shared/desktop-bridge';

const exposed: Array<[string, unknown]> = [];
const listeners = new Map<string, Array<(event: unknown, ...args: unknown[]) => void>>();
const sent: unknown[][] = [];

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]),
  },
  ipcRenderer: {
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
    removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
    },
    send: (...args: unknown[]) => sent.push(args),
  },
}));

beforeEach(async () => {
  exposed.length = 0;
  listeners.clear();
  sent.length = 0;
  vi.resetModules();
  await import('../../../electron/preload');
});

function bridge(): DesktopBridge {
  expect(exposed).toHaveLength(1);
  const [key, api] = exposed[0] as [string, DesktopBridge];
  expect(key).toBe('purser');
  return api;
}

describe('the preload bridge', () => {
  it('exposes one object with exactly the bridge’s functions', () => {
    const api = bridge();
    expect(Object.keys(api).sort()).toEqual(['logInAgain', 'onPendingCount']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('passes the count on, never the IPC event, and only a count', () => {
    const counts: unknown[] = [];
    const stop = bridge().onPendingCount((...args: unknown[]) => counts.push(args));
    const emit = (...args: unknown[]) =>
      listeners
        .get(DESKTOP_CHANNELS.pendingCount)
        ?.forEach((l) => l({ sender: 'secret' }, ...args));
    emit(3);
    emit('3');
    emit(-1);
    emit(1.5);
    emit({ valueOf: () => 2 });
    expect(counts).toEqual([[3]]);
    stop();
    emit(4);
    expect(counts).toEqual([[3]]);
  });

  it('asks to log in again on its one channel, with nothing else', () => {
    bridge().logInAgain();
    expect(sent).toEqual([[DESKTOP_CHANNELS.logInAgain]]);
  });
});
