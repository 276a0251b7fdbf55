/**
 * Named crash points for the crash tests (docs/payouts.md, "Crash safety"). With
 * PURSER_CRASH_AT set to a point's name, the process kills itself there with SIGKILL, as
 * `kill -9` would, so a test can stop Purser at an exact step of a payment instead of at a
 * random moment. Unset, as it always is outside those tests, it does nothing.
 */
export function crashPoint(name: 'payout.authorized' | 'payout.stored' | 'payout.sent'): void {
  if (process.env.PURSER_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
