import type { LedgerVerifyStatusView, LedgerVerifyView } from '../../../shared/ledger';

/** What the window says of a chain verification. */
export interface VerifyState {
  phase: 'idle' | 'starting' | 'running' | 'done' | 'failed';
  /** The run this window started (or found running), 0 if none. */
  run: number;
  checked: number;
  total: number;
  result: LedgerVerifyView | null;
  finishedAt: string | null;
  error: string | null;
}

export const IDLE_VERIFY: VerifyState = {
  phase: 'idle',
  run: 0,
  checked: 0,
  total: 0,
  result: null,
  finishedAt: null,
  error: null,
};

/**
 * The verification as a status read says, for a window that started run `run` (or 0 when it
 * only looks): running with its progress, or finished with the result of that run or a
 * later one. An earlier run's result while ours has not been seen yet does not count.
 */
export function verifyFromStatus(s: LedgerVerifyStatusView, run: number): VerifyState {
  if (s.running) {
    return {
      phase: 'running',
      run: s.run,
      checked: s.checked,
      total: s.total,
      result: null,
      finishedAt: null,
      error: null,
    };
  }
  if (s.run < run || s.run === 0) return { ...IDLE_VERIFY, phase: run > 0 ? 'starting' : 'idle' };
  return {
    phase: s.result ? 'done' : 'failed',
    run: s.run,
    checked: s.result?.entries ?? s.checked,
    total: s.result?.entries ?? s.total,
    result: s.result,
    finishedAt: s.finished_at,
    error: s.result ? null : (s.error ?? 'the verification did not finish'),
  };
}
