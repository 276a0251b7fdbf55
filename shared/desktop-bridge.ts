/**
 * What the preload script exposes as `window.purser` in the desktop app. The owner's
 * session is not here: the window logs in through a one-time link, like a browser, and
 * keeps its session token in its own sessionStorage (docs/trust-model.md).
 */
export interface DesktopBridge {
  /** How many spend and budget requests wait for the owner, each time it changes. */
  onPendingCount(listener: (count: number) => void): () => void;
  /** Asks the main process for a fresh login link in this window (after a session ended). */
  logInAgain(): void;
}

/**
 * The IPC channels behind the bridge, and the only ones: main → window for the count,
 * window → main to log in again. The main process answers the second only when it comes
 * from the owner's window, its main frame, on the app's origin.
 */
export const DESKTOP_CHANNELS = {
  pendingCount: 'purser:pending-count',
  logInAgain: 'purser:log-in-again',
} as const;

declare global {
  interface Window {
    /** Present only inside the desktop app. */
    purser?: DesktopBridge;
  }
}
