/**
 * Long-poll support: a caller waits for one object to change, and is woken by the commit
 * that changes it (not by polling). A timeout bounds every wait.
 */
export class Waiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  wait(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiting.get(id) ?? new Set<() => void>();
      this.waiting.set(id, set);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.waiting.get(id) === set) this.waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /**
   * Holds a long poll: up to `seconds`, but never past `deadline` (when the object expires,
   * the caller must read it again to see that).
   */
  waitForChange(
    id: string,
    seconds: number,
    deadline: number | null,
    now: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const untilDeadline = deadline === null ? Infinity : deadline - now;
    return this.wait(id, Math.min(seconds * 1000, Math.max(0, untilDeadline)), signal);
  }

  notify(id: string): void {
    const set = this.waiting.get(id);
    if (!set) return;
    for (const wake of [...set]) wake();
  }

  get size(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }
}
