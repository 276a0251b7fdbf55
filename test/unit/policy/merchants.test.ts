import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstMatch, merchantMatches } from '../../../electron/core/policy/merchants';

describe('merchantMatches: exact names', () => {
  it('matches the same name', () => {
    expect(merchantMatches('api.openai.com', 'api.openai.com')).toBe(true);
  });
  it('ignores case on both sides', () => {
    expect(merchantMatches('API.OpenAI.com', 'api.openai.COM')).toBe(true);
  });
  it('ignores outer spaces on both sides', () => {
    expect(merchantMatches('  api.openai.com', 'api.openai.com\t ')).toBe(true);
  });
  it('does not match a different name, a prefix, a suffix or a substring', () => {
    expect(merchantMatches('api.openai.com', 'api.openai.org')).toBe(false);
    expect(merchantMatches('api.openai.com', 'api.openai.com.evil')).toBe(false);
    expect(merchantMatches('openai.com', 'api.openai.com')).toBe(false);
    expect(merchantMatches('openai', 'api.openai.com')).toBe(false);
  });
  it('keeps inner spaces significant', () => {
    expect(merchantMatches('acme corp', 'acme  corp')).toBe(false);
    expect(merchantMatches('Acme Corp', 'acme corp')).toBe(true);
  });
  it('treats regex and glob-like characters other than * literally', () => {
    expect(merchantMatches('a.c', 'abc')).toBe(false);
    expect(merchantMatches('a?c', 'abc')).toBe(false);
    expect(merchantMatches('a?c', 'a?c')).toBe(true);
    expect(merchantMatches('[ab]', 'a')).toBe(false);
    expect(merchantMatches('x.*', 'x.y')).toBe(true);
    expect(merchantMatches('a+.com', 'aa.com')).toBe(false);
  });
});

describe('merchantMatches: globs', () => {
  it('*.openai.com matches subdomains at any depth but not the bare domain', () => {
    expect(merchantMatches('*.openai.com', 'api.openai.com')).toBe(true);
    expect(merchantMatches('*.openai.com', 'a.b.openai.com')).toBe(true);
    expect(merchantMatches('*.openai.com', 'openai.com')).toBe(false);
    expect(merchantMatches('*.openai.com', 'notopenai.com')).toBe(false);
    expect(merchantMatches('*.openai.com', 'api.openai.com.evil.net')).toBe(false);
  });
  it('* may stand for the empty run', () => {
    expect(merchantMatches('*.openai.com', '.openai.com')).toBe(true);
    expect(merchantMatches('open*ai', 'openai')).toBe(true);
  });
  it('openai.* matches any suffix after the dot', () => {
    expect(merchantMatches('openai.*', 'openai.com')).toBe(true);
    expect(merchantMatches('openai.*', 'openai.co.uk')).toBe(true);
    expect(merchantMatches('openai.*', 'openai')).toBe(false);
    expect(merchantMatches('openai.*', 'api.openai.com')).toBe(false);
  });
  it('* alone matches every name, even an empty one', () => {
    expect(merchantMatches('*', 'anything.at.all')).toBe(true);
    expect(merchantMatches('*', 'x')).toBe(true);
    expect(merchantMatches('*', '')).toBe(true);
    expect(merchantMatches('***', 'abc')).toBe(true);
  });
  it('handles several stars', () => {
    expect(merchantMatches('*open*.com', 'api.openai.com')).toBe(true);
    expect(merchantMatches('*.*.com', 'a.b.com')).toBe(true);
    expect(merchantMatches('*.*.com', 'ab.com')).toBe(false);
    expect(merchantMatches('a*b*c', 'aXXbYYc')).toBe(true);
    expect(merchantMatches('a*b*c', 'aXXcYYb')).toBe(false);
    expect(merchantMatches('a*b*c', 'abcabc')).toBe(true);
    expect(merchantMatches('a*b*c', 'abcab')).toBe(false);
  });
  it('backtracks past a false start', () => {
    expect(merchantMatches('*abc', 'ababc')).toBe(true);
    expect(merchantMatches('*aab', 'aaab')).toBe(true);
    expect(merchantMatches('*.com', 'x.com.com')).toBe(true);
  });
  it('is case-insensitive and trims for globs too', () => {
    expect(merchantMatches(' *.OpenAI.COM ', ' API.openai.com')).toBe(true);
  });
  it('finishes quickly on a pathological pattern', () => {
    const pattern = `${'a*'.repeat(30)}b`;
    const merchant = 'a'.repeat(200);
    expect(merchantMatches(pattern, merchant)).toBe(false);
    expect(merchantMatches(pattern, `${merchant}b`)).toBe(true);
    expect(merchantMatches('*'.repeat(30) + 'x', 'y'.repeat(200))).toBe(false);
  });
});

describe('firstMatch', () => {
  it('returns the first matching pattern in list order, as written', () => {
    const list = ['Stripe.com', '*.OpenAI.com', 'api.openai.com', '*'];
    expect(firstMatch(list, 'api.openai.com')).toBe('*.OpenAI.com');
    expect(firstMatch(list, 'STRIPE.COM')).toBe('Stripe.com');
    expect(firstMatch(list, 'other')).toBe('*');
  });
  it('returns undefined when nothing matches or the list is empty', () => {
    expect(firstMatch(['a.com', '*.b.com'], 'b.com')).toBeUndefined();
    expect(firstMatch([], 'a.com')).toBeUndefined();
  });
});

/** Reference: the glob as an anchored regular expression, every other character escaped. */
function referenceMatch(pattern: string, merchant: string): boolean {
  const p = pattern.trim().toLowerCase();
  const m = merchant.trim().toLowerCase();
  if (!p.includes('*')) return p === m;
  const source = p
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(m);
}

describe('merchantMatches against a reference regex', () => {
  const alphabet = fc.constantFrom('a', 'b', 'A', '.', '*', '?', ' ', '\\', '(');
  const text = fc.constantFrom('a', 'b', 'B', '.', '?', ' ', '\\', '(');
  const str = (chars: fc.Arbitrary<string>, max: number) =>
    fc.array(chars, { maxLength: max }).map((a) => a.join(''));

  it('agrees on random short patterns and names', () => {
    fc.assert(
      fc.property(str(alphabet, 8), str(text, 10), (pattern, merchant) => {
        expect(merchantMatches(pattern, merchant)).toBe(referenceMatch(pattern, merchant));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees when the name is built to match the pattern', () => {
    fc.assert(
      fc.property(
        str(alphabet, 8),
        fc.array(str(text, 3), { minLength: 9, maxLength: 9 }),
        (pattern, fills) => {
          let i = 0;
          const merchant = pattern.replace(/\*/g, () => fills[i++] ?? '');
          const expected = referenceMatch(pattern, merchant);
          expect(merchantMatches(pattern, merchant)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a pattern with a star matches itself with the stars removed (no spaces)', () => {
    const noSpace = fc.constantFrom('a', 'B', '.', '*', '?', '\\');
    fc.assert(
      fc.property(str(noSpace, 10), (pattern) => {
        fc.pre(pattern.includes('*'));
        expect(merchantMatches(pattern, pattern.replace(/\*/g, ''))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
