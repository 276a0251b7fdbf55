import { z } from 'zod';
import { MAX_AMOUNT_CENTS, MAX_AMOUNT_MICROS_NUMBER } from '../money';
import { hasVisibleCharacter } from '../text/visible';

/** A positive whole number of cents, at most one billion dollars. */
export const amountCents = z
  .int({ error: 'must be a whole number of cents' })
  .min(1, { error: 'must be at least 1 cent' })
  .max(MAX_AMOUNT_CENTS, { error: `must be at most ${MAX_AMOUNT_CENTS} cents ($1,000,000,000)` });

/** A non-negative whole number of cents (budgets and limits may be zero). */
export const limitCents = z
  .int({ error: 'must be a whole number of cents' })
  .min(0, { error: 'must not be negative' })
  .max(MAX_AMOUNT_CENTS, { error: `must be at most ${MAX_AMOUNT_CENTS} cents ($1,000,000,000)` });

/** A positive whole number of micro-dollars (USDC base units), at most one billion dollars. */
export const amountMicros = z
  .int({ error: 'must be a whole number of micro-dollars' })
  .min(1, { error: 'must be at least 1 micro-dollar' })
  .max(MAX_AMOUNT_MICROS_NUMBER, { error: 'must be at most 10^15 micro-dollars ($1,000,000,000)' });

/** `usd`, with `usdc` accepted as the same thing, in any letter case (`Usd`, `uSDC`). */
export const currency = z
  .string({ error: 'must be "usd" (or "usdc")' })
  .regex(/^(usd|usdc)$/i, { error: 'must be "usd" (or "usdc")' });

export const METADATA_MAX_BYTES = 4096;
export const METADATA_MAX_DEPTH = 16;

/**
 * Nesting depth of a JSON value, counted without recursion and giving up past `limit`:
 * a 64 KiB body can nest ten thousand levels deep, enough to overflow the stack of any
 * recursive walk (JSON.stringify included).
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

const encoder = new TextEncoder();
const utf8Length = (text: string) => encoder.encode(text).length;

/** Free-form JSON object the agent attaches; at most 4 KiB once serialised. */
export const metadata = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .superRefine((value, ctx) => {
    if (jsonDepthExceeds(value, METADATA_MAX_DEPTH)) {
      ctx.addIssue({
        code: 'custom',
        message: `must nest at most ${METADATA_MAX_DEPTH} levels deep`,
      });
    } else if (utf8Length(JSON.stringify(value)) > METADATA_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${METADATA_MAX_BYTES} bytes once serialised`,
      });
    }
  });

/** The body field and, through each route's header schema, the `Idempotency-Key` header. */
export const idempotencyKey = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(255, { error: 'must be at most 255 characters' })
  .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' });

export const nonEmptyText = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

/** What an agent may attach to a request it creates: a category, metadata, an idempotency key. */
export const requestAttachments = {
  category: nonEmptyText(64).optional(),
  metadata: metadata.optional(),
  idempotency_key: idempotencyKey.optional(),
};

/**
 * A merchant's name: text with something visible in it. A name of Braille blanks, Hangul
 * fillers or lone combining marks would show the owner nothing (docs/merchant-identity.md),
 * so it is refused; names with some such characters are shown with escapes (visible.ts).
 */
export const merchantNameText = nonEmptyText(200).refine(hasVisibleCharacter, {
  error: 'must have a visible character (it is all blanks, fillers, marks or invisible characters)',
});

/** `?wait=N`: hold the call up to N seconds (0–60) for a pending object to resolve. */
export const waitQuery = z.strictObject({
  wait: z
    .string()
    .regex(/^\d{1,2}$/, { error: 'must be a whole number of seconds between 0 and 60' })
    .transform(Number)
    .refine((n) => n <= 60, { error: 'must be at most 60 seconds' })
    .optional(),
});

/** `?limit=N` of a page: at most four digits, read as a number (the route caps it). */
export const pageLimit = z
  .string()
  .regex(/^\d{1,4}$/)
  .transform(Number);

export const errorEnvelope = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: 'Error', description: 'Every error: a code from the catalog, a message, details.' });

export const idParam = (prefix: string) =>
  z.strictObject({
    id: z.string().max(64).describe(`an id starting with ${prefix}_`),
  });
