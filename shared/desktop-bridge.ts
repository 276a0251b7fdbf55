/**
 * What the preload script exposes as `window.purser` in the desktop app. The owner's
 * session is not here: the window logs in through a one-time link, like a browser, and
 * holds only an HttpOnly cookie.
 */
export interface DesktopBridge {
  onPendingCount(listener: (count: number) => void): () => void;
}
