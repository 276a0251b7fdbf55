import { randomFillSync } from 'node:crypto';
import { ID_PREFIXES, type IdKind } from '../../shared/domain';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random bytes are drawn from the OS a pool at a time: one call per id costs more than the id. */
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomByte(): number {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const byte = pool[offset] as number;
  offset += 1;
  return byte;
}

/**
 * `length` uniformly random base62 characters. Bytes at or above 248 are rejected
 * (248 = 4 × 62) so that no character is likelier than another.
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}

/** `ms` as 8 base62 digits, most significant first, so that ids sort by creation time. */
function timePrefix(ms: number): string {
  let out = '';
  let rest = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 8; i += 1) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/**
 * `prefix_` and 20 base62 characters: 8 of time (milliseconds) and 12 random (71 bits).
 * Ids that grow with time are inserted at the right edge of their B-tree indexes, so a
 * decision writes the same few pages whether the tables hold a thousand rows or millions;
 * purely random ids would touch a random page of an ever larger index each time.
 */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${timePrefix(Date.now())}${randomBase62(12)}`;
}

export function isId(kind: IdKind, text: string): boolean {
  const prefix = ID_PREFIXES[kind];
  return (
    text.length === prefix.length + 21 &&
    text.startsWith(`${prefix}_`) &&
    /^[0-9A-Za-z]+$/.test(text.slice(prefix.length + 1))
  );
}
