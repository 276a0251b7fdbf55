/**
 * Text that someone else chose (an agent's merchant name, reason or purpose), made safe to
 * show to a person. A terminal or a text box acts on some characters instead of drawing
 * them: nine backspaces move the cursor back over the real amount, an ESC sequence retitles
 * the window or hides what follows, a right-to-left override reverses it, a zero-width
 * character makes two different names look the same. Each of those is replaced by an
 * escape that shows which character was there.
 *
 * The escapes are backslash escapes (`\n`, `\x1b`, `\u{202e}`), and a backslash the text
 * itself contains is shown doubled (`\\`). That is what makes them unforgeable: on screen
 * every single backslash starts an escape that Purser wrote, so an agent that types the six
 * characters `\u{202e}` gets `\\u{202e}`, never something that reads like a real override.
 * It also makes the mapping reversible (and so injective): two different texts never look
 * the same. The price is that a path like `C:\tmp` reads `C:\\tmp`. A marker made of rarer
 * characters (`⟨U+202E⟩`) would only move the problem: its opening bracket would need
 * escaping in turn to stay unforgeable, and it would read less like the escapes people know.
 *
 * Plain text in any script, and emoji, is returned unchanged. Two format characters are kept
 * where they draw something: a zero-width joiner inside an emoji sequence (👩‍💻), and a joiner
 * or non-joiner between letters of a script whose shapes it changes (Persian می‌خواهم,
 * Devanagari conjuncts). Anywhere else, between Latin letters say, it is invisible and escaped.
 * Tag characters are escaped even in the three subdivision flags that use them: they are the
 * usual way to hide ASCII text inside a string, and those flags are rare.
 *
 * No Node or DOM import: the main process and the renderer both use this.
 */

/**
 * What may need escaping: controls (C0, DEL, C1), format characters (bidi marks and
 * overrides, zero-width characters, soft hyphen, tags), the line and paragraph separators,
 * lone surrogates, the backslash, and what draws as nothing though it is no control: the
 * default-ignorable code points (Hangul fillers U+3164 and U+115F, variation selectors, the
 * combining grapheme joiner…) and the Braille blank U+2800. Also a run of more than
 * MAX_MARKS combining marks: stacked marks spill over the lines around them. One test of
 * this decides the fast path.
 */
const MAX_MARKS = 4;
const SUSPECT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{DI}\u2800\\]|\p{Cs}|\p{M}{5}/u;
const SUSPECTS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{DI}\u2800\\]|\p{Cs}|\p{M}/gu;
const MARK = /^\p{M}$/u;
const VS15 = 0xfe0e;

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
const VS16 = 0xfe0f;

const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
const EMOJI_MODIFIER = /^\p{Emoji_Modifier}$/u;
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;

/** Scripts in which a joiner or non-joiner between two letters changes how they are drawn. */
const JOINING_SCRIPTS = [
  'Arabic',
  'Syriac',
  'Nko',
  'Mongolian',
  'Mandaic',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
].map((script) => new RegExp(`^\\p{Script_Extensions=${script}}$`, 'u'));

const SHORT: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x5c: '\\\\' };

/** `text` with every character that would not be drawn as itself shown as an escape. */
export function visible(text: string): string {
  if (!SUSPECT.test(text)) return text;
  let marks = 0;
  let last = -1;
  return text.replace(SUSPECTS, (found: string, at: number) => {
    const code = found.codePointAt(0) as number;
    if (MARK.test(found)) {
      // Marks count while they follow each other; an emoji's presentation selector draws.
      marks = at === last ? marks + 1 : 1;
      last = at + found.length;
      if ((code === VS15 || code === VS16) && afterPictograph(text, at)) return found;
      if (marks <= MAX_MARKS && !DEFAULT_IGNORABLE.test(found)) return found;
      return escape(code);
    }
    if ((code === ZWJ || code === ZWNJ) && drawsSomething(text, at, code)) return found;
    return escape(code);
  });
}

const DEFAULT_IGNORABLE = /^\p{DI}$/u;

/** Whether the selector at `at` follows an emoji (or a keycap's base), which it styles. */
function afterPictograph(text: string, at: number): boolean {
  const before = charBefore(text, at);
  return before !== undefined && (PICTOGRAPHIC.test(before) || /^[0-9#*]$/.test(before));
}

/**
 * Whether `text` has something a person would see: not only spaces, marks, controls,
 * format and default-ignorable characters or blanks that draw as nothing. A merchant's name
 * must (docs/merchant-identity.md): a name that shows as nothing cannot be told apart.
 */
export function hasVisibleCharacter(text: string): boolean {
  return INVISIBLE_OR_BLANK.test(text) ? VISIBLE.test(text) : text.length > 0;
}

// Unassigned and private-use code points are drawn (as a box, or the font's own glyph).
const INVISIBLE_OR_BLANK = /[\p{White_Space}\p{M}\p{Cc}\p{Cf}\p{Cs}\p{DI}\u2800]/u;
const VISIBLE = /[^\p{White_Space}\p{M}\p{Cc}\p{Cf}\p{Cs}\p{DI}\u2800]/u;

function escape(code: number): string {
  const short = SHORT[code];
  if (short) return short;
  const hex = code.toString(16);
  return code < 0x100 ? `\\x${hex.padStart(2, '0')}` : `\\u{${hex}}`;
}

/** Whether the joiner at `at` has a visible effect on its neighbours. */
function drawsSomething(text: string, at: number, code: number): boolean {
  const before = charBefore(text, at);
  const after = charAt(text, at + 1);
  if (before === undefined || after === undefined) return false;
  if (code === ZWJ && PICTOGRAPHIC.test(after)) {
    // An emoji, possibly with its skin tone or emoji presentation selector: 👩🏽‍💻, 🏳️‍🌈.
    const modified =
      before.codePointAt(0) === VS16 || EMOJI_MODIFIER.test(before)
        ? charBefore(text, at - before.length)
        : before;
    if (modified !== undefined && PICTOGRAPHIC.test(modified)) return true;
  }
  if (!LETTER_OR_MARK.test(before) || !LETTER_OR_MARK.test(after)) return false;
  return JOINING_SCRIPTS.some((script) => script.test(before) && script.test(after));
}

/** The whole code point that starts at `index`, or undefined past the end. */
function charAt(text: string, index: number): string | undefined {
  const code = text.codePointAt(index);
  return code === undefined ? undefined : String.fromCodePoint(code);
}

/** The whole code point that ends just before `index`, or undefined at the start. */
function charBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  const high = index >= 2 ? text.charCodeAt(index - 2) : 0;
  const pair = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
  return pair ? text.slice(index - 2, index) : text.slice(index - 1, index);
}
