/**
 * Follows the owner's event stream (`GET /admin/v1/events`) for any surface: reads it with
 * fetch (EventSource cannot send the bearer header), checks each event against the
 * contract's schema for its name (shared/contract/events.ts) and skips what does not parse
 * or is not ours, and opens the stream again after a pause when it drops.
 */
import { createParser } from 'eventsource-parser';
import { isOwnerEventName, ownerEvents, type OwnerEvent } from './events';
import type { OwnerClient } from './owner-client';

export interface FollowOptions<E = OwnerEvent> {
  client: OwnerClient;
  onEvent(event: E): void;
  /**
   * How an event is read; by default as the contract says its name's data is
   * (`parseOwnerEvent`). A surface that needs fewer fields gives a narrower reader built
   * from the same schemas. Undefined: skipped.
   */
  parse?(name: string | undefined, data: string): E | undefined;
  /**
   * The server is listening: every change from here on is heard, so a snapshot read now
   * misses nothing. The server writes `: connected` then (electron/api/routes/owner/events.ts).
   */
  onOpen?(): void;
  /** The stream closed or could not open; it is opened again after a pause. */
  onClose?(reason: string): void;
  /** Whether a failure to open is for good (a window whose session ended): no retry. */
  final?(error: unknown): boolean;
  /** Pauses between attempts, the last one repeated: a wallet that restarts is found again. */
  retryDelaysMs?: readonly number[];
}

export interface Follower {
  close(): void;
}

/** The pause before attempt `attempt` (0-based) to reopen the stream. */
export function retryDelay(attempt: number, delays: readonly number[]): number {
  return delays[Math.min(attempt, delays.length - 1)] ?? 1_000;
}

/** One server-sent event, as the contract says its name's data is; undefined if not. */
export function parseOwnerEvent(name: string | undefined, data: string): OwnerEvent | undefined {
  if (!isOwnerEventName(name)) return undefined; // a newer server's event: not ours to read
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = ownerEvents[name].safeParse(body);
  return parsed.success ? ({ event: name, data: parsed.data } as OwnerEvent) : undefined;
}

export function followOwnerEvents<E = OwnerEvent>(options: FollowOptions<E>): Follower {
  const parse = options.parse ?? (parseOwnerEvent as (n: string | undefined, d: string) => E);
  const delays = options.retryDelaysMs ?? [500, 1_000, 2_000, 5_000];
  const abort = new AbortController();
  let attempt = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      abort.signal.addEventListener('abort', done, { once: true });
    });

  const once = async (): Promise<string> => {
    const response = await options.client.open('events', undefined, undefined, {
      headers: { accept: 'text/event-stream' },
      signal: abort.signal,
    });
    if (!response.body) return 'the event stream had no body';
    const parser = createParser({
      onEvent: (message) => {
        const event = parse(message.event, message.data);
        if (event) options.onEvent(event);
      },
      onComment: (comment) => {
        if (comment.trim() !== 'connected') return;
        attempt = 0;
        options.onOpen?.();
      },
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'the event stream ended';
      parser.feed(decoder.decode(value, { stream: true }));
    }
  };

  void (async () => {
    while (!abort.signal.aborted) {
      let reason: string;
      try {
        reason = await once();
      } catch (error) {
        if (abort.signal.aborted) return;
        if (options.final?.(error)) return;
        reason = error instanceof Error ? error.message : String(error);
      }
      if (abort.signal.aborted) return;
      options.onClose?.(reason);
      await wait(retryDelay(attempt, delays));
      attempt += 1;
    }
  })();

  return { close: () => abort.abort() };
}
