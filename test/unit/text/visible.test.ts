import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visible } from '../../../shared/text/visible';

/** Characters a terminal acts on or does not draw: none may reach the screen raw. */
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const FORMAT = /\p{Cf}/gu;
const JOINERS = new Set(['\u200c', '\u200d']);
/**
 * What visible() may change: the test's own statement of it, not the module's regex. Also
 * what draws as nothing without being a control: default-ignorable code points (Hangul
 * fillers, variation selectors) and the Braille blank.
 */
const NEEDS_ESCAPE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800\\]|\p{Cs}/u;
/** Combining marks stack over the lines around them: more than four in a row are shown. */
const MARK_RUN = /\p{M}{5}/u;

/** Reads visible()'s output back: every backslash starts an escape, everything else is itself. */
function decode(shown: string): string {
  return shown.replace(
    /\\(?:([\\tnr])|x([0-9a-f]{2})|u\{([0-9a-f]+)\})/g,
    (_escape, short?: string, byte?: string, code?: string) => {
      if (short) return { '\\': '\\', t: '\t', n: '\n', r: '\r' }[short] as string;
      // A surrogate code point comes back as the lone UTF-16 unit it was.
      return String.fromCodePoint(parseInt((byte ?? code) as string, 16));
    },
  );
}

/** Strings that mix the characters that matter with any code point and lone surrogate halves. */
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\b',
        '\x1b',
        '\x07',
        '\t',
        '\n',
        '\r',
        '\x00',
        '\x7f',
        '\x9b',
        '\\',
        '\\u{202e}',
        '\\x1b',
        '\u202e',
        '\u2066',
        '\u200b',
        '\u200c',
        '\u200d',
        '\ufeff',
        '\u00ad',
        '\u2028',
        '\u{e0041}',
        '\ud800',
        '\udfff',
        'a',
        '$4.00',
        'آ',
        'क्',
        '👩',
        '💻',
        '\ufe0f',
        '🏽',
      ),
      fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

/** Strings with nothing to escape, in any script. */
const plain = fc
  .array(
    fc
      .integer({ min: 0x20, max: 0x10ffff })
      .filter((cp) => cp < 0xd800 || cp > 0xdfff)
      .map((cp) => String.fromCodePoint(cp))
      .filter((ch) => !NEEDS_ESCAPE.test(ch)),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''))
  .filter((text) => !MARK_RUN.test(text));

describe('visible: what a terminal would act on is shown, not obeyed', () => {
  it('shows backspaces, so a request cannot rub out its own amount', () => {
    expect(visible(`${'\b'.repeat(9)}$4.00    aws`)).toBe(`${'\\x08'.repeat(9)}$4.00    aws`);
  });

  it('shows ESC, BEL and C1 controls, so an OSC sequence cannot retitle the terminal', () => {
    expect(visible('\x1b]0;pwned\x07')).toBe('\\x1b]0;pwned\\x07');
    expect(visible('\x1b[2J\x9b2J\x85\x7f\x00')).toBe('\\x1b[2J\\x9b2J\\x85\\x7f\\x00');
  });

  it('shows tab, newline and carriage return as \\t, \\n, \\r', () => {
    expect(visible('a\tb\nc\rd')).toBe('a\\tb\\nc\\rd');
  });

  it('shows bidi marks, embeddings, overrides and isolates', () => {
    for (const ch of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069'])
      expect(visible(`x${ch}y`)).toBe(`x\\u{${ch.codePointAt(0)?.toString(16)}}y`);
  });

  it('shows zero-width and other format characters, separators and tags', () => {
    expect(visible('a\u200bws')).toBe('a\\u{200b}ws');
    expect(visible('a\u200dws')).toBe('a\\u{200d}ws');
    expect(visible('a\u200cws')).toBe('a\\u{200c}ws');
    expect(visible('\ufeffx\u00ad')).toBe('\\u{feff}x\\xad');
    expect(visible('a\u2028b\u2029c')).toBe('a\\u{2028}b\\u{2029}c');
    expect(visible('ok\u{e0069}\u{e0067}')).toBe('ok\\u{e0069}\\u{e0067}');
  });

  it('shows lone surrogates, but keeps surrogate pairs', () => {
    expect(visible('a\ud800b\udc00')).toBe('a\\u{d800}b\\u{dc00}');
    expect(visible('\ud83d\ude00')).toBe('😀');
  });

  it('doubles a backslash, so an agent cannot type something that reads as an escape', () => {
    expect(visible('\\u{202e}')).toBe('\\\\u{202e}');
    expect(visible('C:\\tmp')).toBe('C:\\\\tmp');
    expect(visible('\\u{202e}')).not.toBe(visible('\u202e'));
  });

  it('leaves plain text, other scripts and emoji alone, and returns the same string', () => {
    for (const text of [
      '',
      'GPU runtime for evaluation job',
      'Größe 10 €, ½ price',
      '東京の会議 — 予約',
      'Привет, мир',
      'שלום עולם',
      'مرحبا بالعالم',
      'می‌خواهم',
      'क्‍ष',
      '🎉 👍🏽 👩🏽‍💻 🏳️‍🌈 👨‍👩‍👧 ❤️‍🔥',
    ])
      expect(visible(text)).toBe(text);
  });

  it('is the identity on any text with nothing to escape', () => {
    fc.assert(
      fc.property(plain, (text) => {
        expect(visible(text)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('never lets a control, bidi, separator, lone surrogate or stray format character through', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = visible(text);
        expect(CONTROL.test(shown)).toBe(false);
        expect(BIDI.test(shown)).toBe(false);
        expect(/\p{Cs}/u.test(shown)).toBe(false);
        // The only format characters kept are joiners that draw something: between letters of
        // a joining script or inside an emoji sequence, never next to ASCII.
        for (const match of shown.matchAll(FORMAT)) {
          expect(JOINERS.has(match[0])).toBe(true);
          const around = shown.slice(Math.max(0, match.index - 1), match.index + 2);
          expect(/[\x20-\x7e]/.test(around)).toBe(false);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('shows what would draw as nothing: Braille blanks, Hangul fillers, stacked marks', () => {
    expect(visible('\u2800\u2800\u2800')).toBe('\\u{2800}\\u{2800}\\u{2800}');
    expect(visible('\u3164\u115f\u1160\uffa0')).toBe('\\u{3164}\\u{115f}\\u{1160}\\u{ffa0}');
    expect(visible(`A${'\u0301'.repeat(7)}`)).toBe(`A${'\u0301'.repeat(4)}${'\\u{301}'.repeat(3)}`);
    // What draws stays: an emoji's presentation selector, a keycap, Vietnamese, Devanagari.
    for (const text of ['❤️', '1️⃣', 'Tiếng Việt', 'क्षत्रिय']) expect(visible(text)).toBe(text);
    // …but a selector on a letter draws nothing, and neither does the grapheme joiner.
    expect(visible('a\ufe0fb x\u034fy')).toBe('a\\u{fe0f}b x\\u{34f}y');
  });

  it('can be read back exactly, so two different texts never look the same', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(decode(visible(text))).toBe(text);
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        fc.pre(a !== b);
        expect(visible(a)).not.toBe(visible(b));
      }),
      { numRuns: 3000 },
    );
  });
});
