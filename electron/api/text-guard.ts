import { PurserError } from '../core/errors';

/**
 * Text from agents (and the owner) must be well-formed Unicode with no NUL
 * (docs/errors.md, "Text"). A lone surrogate would be answered as sent but stored and
 * hashed as U+FFFD, so the ledger's hash and the stored text would see different strings;
 * a NUL cuts the text short in many tools that later show it. So bodies are decoded from
 * UTF-8 strictly, and every string in them (object keys included) is checked before any
 * route sees it. The check is iterative: a 64 KiB body can nest deeper than the stack.
 */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** In `u` mode a well-formed pair is one code point, so this finds only lone surrogates. */
const BAD_TEXT = /[\p{Cs}\0]/u;

export function decodeUtf8(body: Buffer): string {
  try {
    return decoder.decode(body);
  } catch {
    throw new PurserError('invalid_request', 'The body is not valid UTF-8.', {});
  }
}

export function assertWellFormedText(value: unknown): void {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [node, field] = stack.pop() as [unknown, string];
    if (typeof node === 'string') {
      if (BAD_TEXT.test(node)) throw badText(node, field);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const at = field ? `${field}.${key}` : key;
        if (BAD_TEXT.test(key)) throw badText(key, at);
        stack.push([child, at]);
      }
    }
  }
}

function badText(text: string, field: string): PurserError {
  const nul = text.includes('\0');
  const where = field || 'body';
  return new PurserError(
    'invalid_request',
    nul
      ? `Invalid body: ${where} may not contain NUL (U+0000).`
      : `Invalid body: ${where} must be well-formed Unicode (it has a lone surrogate, an unpaired \\uD800–\\uDFFF).`,
    { field: where, reason: nul ? 'nul_character' : 'ill_formed_unicode' },
  );
}
