/**
 * The identity of a merchant: the normalised key that lists and the new-merchant rule
 * compare, and the look-alike skeleton. The contract, and why each step is there, is in
 * docs/merchant-identity.md. Pure, total functions: they never throw, whatever the input.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import unhomoglyph from 'unhomoglyph';

// Characters nobody sees: format characters (zero-width space and joiners, soft hyphen,
// bidi controls, BOM…), the default-ignorables (Hangul fillers, variation selectors, U+034F)
// and control characters. Whitespace controls are kept here: they become a space below.
const INVISIBLE = /(?!\p{White_Space})[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const WHITESPACE = /\p{White_Space}+/gu;
/** Printable ASCII needs none of NFKC, the invisible-character pass or Unicode spaces. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const SPACES = / {2,}/g;
/** `toLowerCase` picks σ or ς from the neighbours; folding does not (docs/merchant-identity.md). */
const FINAL_SIGMA = /ς/g;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;
/** A dot (or the ideographic full stop the host parser reads as one) and no space. */
const DOTTED = /[.\u3002]/;
/** `name:port`, optionally followed by a path, query or fragment. */
const WITH_PORT = /^[^\s:/?#@]+:\d+(?:[/?#]|$)/;
/**
 * Lower-case letter-digit-hyphen labels whose last label starts with a letter: the host
 * parser would return them unchanged (no IPv4 reading, nothing to decode or encode), so
 * they skip it. Keeps the common `api.openai.com` off the slow path.
 */
const PLAIN_HOST = /^(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*$/;

/**
 * NFKC, case folded, invisible characters removed, whitespace runs collapsed to one space
 * and trimmed: the key of any name, host or not. Categories are compared on this.
 * Case folding is `toLowerCase` after NFKC (so `ß` stays `ß`, see docs/merchant-identity.md).
 */
export function normalizeText(name: string): string {
  if (PRINTABLE_ASCII.test(name)) return name.toLowerCase().replace(SPACES, ' ').trim();
  return name
    .replace(INVISIBLE, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(FINAL_SIGMA, 'σ')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(WHITESPACE, ' ')
    .trim();
}

/**
 * The normalised merchant key (docs/merchant-identity.md): the normalised text, and for a
 * URL or a host only the host, in ASCII, without port or trailing dots. `*` is kept, so a
 * list pattern goes through the same function as the name it is matched against.
 */
export function merchantKey(name: string): string {
  if (name === lastName) return lastKey;
  let key: string;
  try {
    key = keyOf(normalizeText(name));
  } catch {
    // Unreachable in practice (every step below is total); a key must exist regardless.
    key = String(name).toLowerCase();
  }
  // One remembered name: a decision asks for the key of the same merchant up to three
  // times (new-merchant check, decision, usage), and one entry is as bounded as it gets.
  lastName = name;
  lastKey = key;
  return key;
}
let lastName: string | undefined;
let lastKey = '';

function keyOf(text: string): string {
  if (SCHEME.test(text)) return hostKey(text, true);
  if (!text.includes(' ') && (DOTTED.test(text) || WITH_PORT.test(text))) {
    return PLAIN_HOST.test(text) ? text : hostKey(text, false);
  }
  return text;
}

/** The host of a URL or of a bare `host[:port][/path]`, as the key. */
function hostKey(text: string, hasScheme: boolean): string {
  let host = whatwgHost(hasScheme ? text : `http://${text}`) ?? roughHost(text, hasScheme);
  host = trimDots(host);
  if (host === '') return text;
  // Lower-cased again: an opaque host (a scheme the URL parser does not know) keeps case.
  return trimDots(domainToASCII(host) || host).toLowerCase() || text;
}

/** The WHATWG URL parser's host, or null when it does not parse or has none. */
function whatwgHost(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    return host === '' ? null : host;
  } catch {
    return null;
  }
}

/** What the URL parser would have taken as the host, for names it refuses. */
function roughHost(text: string, hasScheme: boolean): string {
  let rest = hasScheme ? text.slice(text.indexOf('://') + 3) : text;
  rest = rest.split(/[/?#\\]/, 1)[0] ?? '';
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  return (rest.startsWith('[') ? rest : (rest.split(':', 1)[0] ?? '')).trim();
}

/** Without trailing dots (the root label) or the spaces a host taken roughly may hold. */
function trimDots(host: string): string {
  let end = host.length;
  while (end > 0 && TRAILING.has(host[end - 1] ?? '')) end -= 1;
  return host.slice(0, end).trimStart();
}
const TRAILING = new Set(['.', '\u3002', ' ']);

/**
 * The look-alike skeleton of a key (docs/merchant-identity.md): NFD, each character mapped
 * to its confusable prototype, NFD. The key is already folded, so prototypes that are
 * capitals (`0` → `O`) are folded and mapped once more, or `g00gle` would not look like
 * `google`. IDN labels are compared in their Unicode form: `xn--ws-6kc` is `аws`.
 */
export function merchantSkeleton(key: string): string {
  try {
    if (PRINTABLE_ASCII.test(key) && !key.includes('xn--')) return asciiSkeleton(key);
    const base = (key.includes('xn--') && domainToUnicode(key)) || key;
    return unhomoglyph(unhomoglyph(base.normalize('NFD')).toLowerCase()).normalize('NFD');
  } catch {
    return key;
  }
}

const ASCII_PROTOTYPES = new Map<string, string>();
for (let code = 0; code < 128; code += 1) {
  const c = String.fromCharCode(code);
  const prototype = unhomoglyph(unhomoglyph(c).toLowerCase()).normalize('NFD');
  if (prototype !== c) ASCII_PROTOTYPES.set(c, prototype);
}
/** The few ASCII characters that are not their own prototype (`0`, `1`, `m`, `|`…). */
const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
const ASCII_CONFUSABLE = new RegExp(`[${[...ASCII_PROTOTYPES.keys()].map(hex).join('')}]`, 'g');

function asciiSkeleton(key: string): string {
  return key.replace(ASCII_CONFUSABLE, (c) => ASCII_PROTOTYPES.get(c) ?? c);
}

/** A merchant name as one decision sees it: raw, its key, and its skeleton when asked. */
export class MerchantName {
  readonly key: string;
  private skeletonOf: string | undefined;

  constructor(readonly raw: string) {
    this.key = merchantKey(raw);
  }

  get skeleton(): string {
    this.skeletonOf ??= merchantSkeleton(this.key);
    return this.skeletonOf;
  }
}
