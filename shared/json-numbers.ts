/**
 * Numbers are read from their digits (docs/money-integrity.md, rule 6). No Node or DOM import:
 * the API's JSON parser and the MCP server's stdio both use this. JSON.parse rounds a
 * number to the nearest double without a word: `"amount_cents": 0.99999999999999999999`
 * becomes 1 and would be approved as one cent, and `12345678901234567890` becomes another
 * integer. So every number literal in a body must be exactly the value the parser keeps:
 * one whose shortest decimal form (what Purser answers, stores and hashes) is the value
 * that was written. `1.0`, `1e2` and `0.1` pass (their values are kept exactly as written,
 * and the schemas then decide whether a fraction is allowed); a literal the parser would
 * round is refused, whatever field it is in.
 *
 * Only literals that could be rounded are looked at: a fraction or exponent, or sixteen
 * digits and more. Bodies with neither (most) cost one regular-expression test.
 */
const MAYBE_INEXACT = /\d[.eE]|\d{16}/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first number literal in JSON `text` that JSON.parse would round, if any. */
export function inexactNumberIn(text: string): string | undefined {
  if (!MAYBE_INEXACT.test(text)) return undefined;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = endOfString(text, i);
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) return undefined; // not JSON after all; the parser says so
      const literal = match[0];
      if (!isExact(literal)) return literal;
      i += literal.length;
    } else {
      i += 1;
    }
  }
  return undefined;
}

/** The index just past the string that starts at `start` (a JSON string: `\` escapes one). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

/** Whether the double JSON.parse makes of `literal` has exactly the value written. */
export function isExact(literal: string): boolean {
  const value = Number(literal);
  if (!Number.isFinite(value)) return false;
  const written = decimal(literal);
  return written !== undefined && written === decimal(String(value));
}

/**
 * A number's value as `[-]digits e exponent` with no leading or trailing zeros in the digits
 * ("0" for zero, whatever its sign), so that two spellings of one value compare equal.
 */
function decimal(text: string): string | undefined {
  const m = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign, whole = '', fraction = '', exp = '0'] = m;
  let exponent = Number(exp) - fraction.length;
  if (!Number.isSafeInteger(exponent)) return undefined;
  let digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return '0';
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${sign ?? ''}${digits}e${exponent}`;
}

/** Says what a refused literal is, and what JSON would have made of it. */
export function inexactNumberMessage(literal: string): { message: string; shown: string } {
  const shown = literal.length > 40 ? `${literal.slice(0, 40)}…` : literal;
  return {
    shown,
    message: `the number ${shown} cannot be read exactly (JSON would round it to ${String(Number(literal))}); write amounts as whole numbers in digits, as they are meant`,
  };
}
