/** The owner's session in the window: where the owner API is and the secret that opens it. */
export interface OwnerSession {
  baseUrl: string;
  token: string;
}

/** What the preload script exposes as `window.purser` in the desktop app. */
export interface DesktopBridge {
  session(): Promise<OwnerSession>;
  onPendingCount(listener: (count: number) => void): () => void;
}
