/** Small helpers for what goes on the wire: the long-poll query, and answer bodies. */

export function waitQuery(wait: number | undefined): string {
  return wait === undefined || wait <= 0 ? '' : `?wait=${Math.min(60, Math.floor(wait))}`;
}

/** An answer's body as JSON, or undefined when it is not JSON. */
export function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
