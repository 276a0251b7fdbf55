/**
 * Durations in words for the owner: how old a request is, how long until it expires.
 * Whole units, largest two, never more precise than a minute unless under one.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

export function ageText(createdAt: string, now: number): string {
  return `asked ${formatDuration(now - Date.parse(createdAt))} ago`;
}

/** "expires in …", or "expired" once the time has passed (the server expires it then). */
export function expiryText(expiresAt: string, now: number): string {
  const left = Date.parse(expiresAt) - now;
  return left <= 0 ? 'expired' : `expires in ${formatDuration(left)}`;
}

/** Under an hour left: the prompt says so louder. */
export const expiresSoon = (expiresAt: string, now: number) =>
  Date.parse(expiresAt) - now < 60 * 60_000;
