/** A minimal reader of the owner's server-sent event stream, for tests. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface SseStream {
  /** Resolves with the first event (already received or still to come) that matches. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
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
  return {
    events,
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
}
