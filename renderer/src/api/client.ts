import type { ErrorEnvelope } from '../../../shared/errors';
import type {
  AgentView,
  OwnerBudgetRequestView,
  OwnerSpendView,
} from '../../../shared/schemas/owner-api';

export class OwnerApiError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope | undefined,
  ) {
    super(envelope?.error.message ?? `HTTP ${status}`);
  }

  /** The window has no session: it was opened without the login link. */
  get notLoggedIn(): boolean {
    return this.status === 401;
  }
}

export type OwnerEvent =
  | { event: 'spend'; data: OwnerSpendView }
  | { event: 'budget_request'; data: OwnerBudgetRequestView }
  | {
      event: 'alert';
      data: { kind: string; agent_name: string; message: string; object_id: string };
    }
  | { event: 'receipt'; data: { id: string; agent_name: string } };

/**
 * The window's one client of the owner API. The window is served by Purser itself, so
 * every call is same-origin and carries the HttpOnly session cookie from the login link
 * (the desktop app opens that link for its own window); the page never holds a secret.
 */
export class OwnerApi {
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    const payload = (await response.json().catch(() => undefined)) as unknown;
    if (!response.ok)
      throw new OwnerApiError(response.status, payload as ErrorEnvelope | undefined);
    return payload as T;
  }

  agents() {
    return this.request<{ agents: AgentView[] }>('GET', '/admin/v1/agents');
  }

  approvals() {
    return this.request<{
      spend_requests: OwnerSpendView[];
      budget_requests: OwnerBudgetRequestView[];
    }>('GET', '/admin/v1/approvals');
  }

  spendRequest(id: string) {
    return this.request<OwnerSpendView>(
      'GET',
      `/admin/v1/spend-requests/${encodeURIComponent(id)}`,
    );
  }

  approveSpend(id: string, body: { comment?: string; override_budget?: boolean }) {
    return this.request<OwnerSpendView>(
      'POST',
      `/admin/v1/spend-requests/${encodeURIComponent(id)}/approve`,
      body,
    );
  }

  declineSpend(id: string, body: { comment?: string }) {
    return this.request<OwnerSpendView>(
      'POST',
      `/admin/v1/spend-requests/${encodeURIComponent(id)}/decline`,
      body,
    );
  }

  approveBudget(id: string, body: { amount_cents?: number; hours?: number; comment?: string }) {
    return this.request<OwnerBudgetRequestView>(
      'POST',
      `/admin/v1/budget-requests/${encodeURIComponent(id)}/approve`,
      body,
    );
  }

  rejectBudget(id: string, body: { reason?: string }) {
    return this.request<OwnerBudgetRequestView>(
      'POST',
      `/admin/v1/budget-requests/${encodeURIComponent(id)}/reject`,
      body,
    );
  }

  /** Server-sent events: new pending requests and every decision, as they commit. */
  events(onEvent: (e: OwnerEvent) => void): () => void {
    const source = new EventSource('/admin/v1/events');
    const names: Array<OwnerEvent['event']> = ['spend', 'budget_request', 'alert', 'receipt'];
    for (const name of names) {
      source.addEventListener(name, (message) =>
        onEvent({
          event: name,
          data: JSON.parse((message as MessageEvent<string>).data),
        } as OwnerEvent),
      );
    }
    return () => source.close();
  }
}

export const api = new OwnerApi();

export const usd = (cents: number) =>
  `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function messageOf(error: unknown): string {
  if (error instanceof OwnerApiError && error.notLoggedIn) {
    return 'This window is not logged in. Open the login link that `purser serve` printed, or run `purser login` for a new one.';
  }
  return error instanceof Error ? error.message : String(error);
}
