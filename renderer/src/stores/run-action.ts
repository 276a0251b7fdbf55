import { messageOf } from '../api/client';

/** How a store shows an owner action: which one runs, and why the server refused it. */
export interface ActionState {
  /** What the action in flight is about: its button waits. */
  busy: string | null;
  /** Shown until dismissed: the reload after the action must not hide it. */
  actionError: string | null;
}

/**
 * Runs an owner action under `busy`; a refusal becomes the store's `actionError`. Refused
 * or not, `reload` then reads again what the action may have changed.
 */
export async function runAction(
  set: (state: Partial<ActionState>) => void,
  busy: string,
  action: () => Promise<unknown>,
  reload: () => Promise<void>,
): Promise<void> {
  set({ busy, actionError: null });
  try {
    await action();
  } catch (error) {
    set({ actionError: messageOf(error) });
  } finally {
    set({ busy: null });
    await reload();
  }
}
