/**
 * What the preload script exposes as `window.purser` in the desktop app. The owner's
 * session is not here: the window logs in through a one-time link, like a browser, and
 * keeps its session token in its own sessionStorage (docs/trust-model.md).
 */
export interface DesktopBridge {
  onPendingCount(listener: (count: number) => void): () => void;
  /** Asks the main process for a fresh login link in this window (after a session ended). */
  logInAgain(): void;
}

declare global {
  interface Window {
    /** Present only inside the desktop app. */
    purser?: DesktopBridge;
  }
}
