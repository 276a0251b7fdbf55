import type { DesktopBridge, OwnerSession } from '../../../shared/desktop-bridge';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { AgentView } from '../../../shared/schemas/owner-api';

declare global {
  interface Window {
    /** Present in the desktop app (preload.ts); absent in a browser. */
    purser?: DesktopBridge;
  }
}

export class OwnerApiError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope | undefined,
  ) {
    super(envelope?.error.message ?? `HTTP ${status}`);
  }
}

/**
 * The window's one client of the owner API. In the desktop app the secret comes from the
 * preload bridge; in a browser (`purser serve`) the session cookie set by the login link
 * is sent instead, so the page never holds the secret.
 */
export class OwnerApi {
  constructor(private readonly session: OwnerSession | null) {}

  static async connect(): Promise<OwnerApi> {
    return new OwnerApi(window.purser ? await window.purser.session() : null);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.session) headers.authorization = `Bearer ${this.session.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.session?.baseUrl ?? ''}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    const payload = (await response.json().catch(() => undefined)) as unknown;
    if (!response.ok)
      throw new OwnerApiError(response.status, payload as ErrorEnvelope | undefined);
    return payload as T;
  }

  agents(): Promise<{ agents: AgentView[] }> {
    return this.request('GET', '/admin/v1/agents');
  }
}
