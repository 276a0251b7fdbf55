import type { z } from 'zod';
import { ownerEvents, type OwnerEvent, type OwnerEventName } from '../../shared/contract/owner';

/** A minimal reader of the owner's server-sent event stream, for tests. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface SseStream {
  /** Resolves with the first event (already received or still to come) that matches. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /**
   * The data of the first `name` event that matches, parsed with the contract's schema of
   * that event (shared/contract/events.ts): data that does not fit it fails the test.
   */
  nextOf<N extends OwnerEventName>(
    name: N,
    match?: (data: EventData<N>) => boolean,
    timeoutMs?: number,
  ): Promise<EventData<N>>;
  events: SseEvent[];
  close(): void;
}

export async function openEvents(url: string, token: string): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(`${url}/admin/v1/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
  const events: SseEvent[] = [];
  const waiting: Array<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = [];
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!name || !data) continue;
          const event = { event: name, data: JSON.parse(data) as Record<string, unknown> };
          events.push(event);
          for (const w of [...waiting]) {
            if (w.match(event)) {
              waiting.splice(waiting.indexOf(w), 1);
              w.resolve(event);
            }
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  const stream: SseStream = {
    events,
    async nextOf(name, match = () => true, timeoutMs) {
      const schema = ownerEvents[name] as unknown as z.ZodType<EventData<typeof name>>;
      // An event of that name that does not parse is taken, so the parse below says why.
      const e = await stream.next((e) => {
        if (e.event !== name) return false;
        const parsed = schema.safeParse(e.data);
        return !parsed.success || match(parsed.data);
      }, timeoutMs);
      return schema.parse(e.data);
    },
    next(match, timeoutMs = 5_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching event')), timeoutMs);
        waiting.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    close: () => abort.abort(),
  };
  return stream;
}

type EventData<N extends OwnerEventName> = Extract<OwnerEvent, { event: N }>['data'];
