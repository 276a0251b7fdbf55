import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MerchantName,
  merchantKey,
  merchantSkeleton,
  normalizeText,
} from '../../../electron/core/policy/merchant-key';
import {
  compileMerchantList,
  firstMatch,
  globMatch,
  lookalikeIn,
  matchIn,
  merchantMatches,
} from '../../../electron/core/policy/merchants';
import {
  parsePolicy,
  policyFromInput,
  serializePolicy,
} from '../../../electron/core/policy/policy';
import { DEFAULT_POLICY } from '../../../shared/schemas/policy';

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
  it('keeps inner spaces, but as one space whatever the run', () => {
    expect(merchantMatches('acme corp', 'acme  corp')).toBe(true);
    expect(merchantMatches('acme corp', 'acme\u3000\t corp')).toBe(true);
    expect(merchantMatches('Acme Corp', 'acme corp')).toBe(true);
    expect(merchantMatches('acme corp', 'acmecorp')).toBe(false);
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
  const p = merchantKey(pattern);
  const m = merchantKey(merchant);
  return referenceGlob(p, m);
}

function referenceGlob(p: string, m: string): boolean {
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

  it('the glob engine alone agrees with the regex on raw text', () => {
    fc.assert(
      fc.property(str(alphabet, 8), str(text, 10), (pattern, name) => {
        expect(globMatch(pattern, name)).toBe(referenceGlob(pattern, name));
      }),
      { numRuns: 5000 },
    );
  });

  it('a pattern with a star matches itself with the stars removed', () => {
    fc.assert(
      fc.property(str(alphabet, 10), (pattern) => {
        fc.pre(pattern.includes('*'));
        expect(globMatch(pattern, pattern.replace(/\*/g, ''))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

/** With `aws` and `api.openai.com` denied, each of these used to be approved. */
const ATTACKS: readonly [string, string][] = [
  ['aws\u200b', 'aws'],
  ['\u200baws', 'aws'],
  ['\uff41\uff57\uff53', 'aws'], // full-width ａｗｓ
  ['aws\u00ad', 'aws'],
  ['api.openai.com.', 'api.openai.com'],
  ['api.openai.com:443', 'api.openai.com'],
  ['https://api.openai.com/v1', 'api.openai.com'],
];
const CYRILLIC_AWS = '\u0430ws';

describe('merchantKey (docs/merchant-identity.md)', () => {
  it.each(ATTACKS)('%j has the key %j', (name, key) => {
    expect(merchantKey(name)).toBe(key);
  });

  it('removes every invisible or format character', () => {
    const invisible = [
      '\u200c',
      '\u200d',
      '\u2060',
      '\ufeff',
      '\u200e',
      '\u200f',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
      '\u061c',
      '\u034f',
      '\u115f',
      '\u1160',
      '\u3164',
      '\uffa0',
      '\ufe0f',
      '\u180e',
      '\u0000',
      '\u007f',
    ];
    for (const c of invisible) {
      expect(merchantKey(`a${c}ws`), JSON.stringify(c)).toBe('aws');
      expect(merchantKey(`${c}aws${c}`), JSON.stringify(c)).toBe('aws');
    }
    expect(merchantKey('\u{e0041}aws\u{e0020}')).toBe('aws'); // tag characters
  });

  it('folds case after NFKC and collapses every kind of whitespace', () => {
    expect(merchantKey('ＡＷＳ')).toBe('aws');
    expect(merchantKey('\u2126hm')).toBe('\u03c9hm'); // OHM SIGN folds like omega
    expect(merchantKey('\u00a0Acme\u3000\u2003 Corp\n')).toBe('acme corp');
    expect(merchantKey('ΟΔΟΣ ΟΔΟΣ')).toBe('οδοσ οδοσ'); // σ, never the contextual ς
  });

  it('keeps only the host of a URL: no scheme, user, port, path, query or fragment', () => {
    expect(merchantKey('HTTPS://user:pw@API.OpenAI.com:8443/v1?q=1#frag')).toBe('api.openai.com');
    expect(merchantKey('http://api.openai.com:80')).toBe('api.openai.com');
    expect(merchantKey('ｈｔｔｐｓ：／／api.openai.com／x')).toBe('api.openai.com');
    expect(merchantKey('https://api.openai.com../')).toBe('api.openai.com');
    expect(merchantKey('https://api.open%61i.com')).toBe('api.openai.com');
  });

  it('reads a dotted name without spaces, or a name with a port, as a host', () => {
    expect(merchantKey('API.OpenAI.com/v1/chat')).toBe('api.openai.com');
    expect(merchantKey('billing@stripe.com')).toBe('stripe.com');
    expect(merchantKey('aws:443')).toBe('aws');
    expect(merchantKey('api\u3002openai\u3002com')).toBe('api.openai.com');
    expect(merchantKey('api\uff0eopenai\uff0ecom')).toBe('api.openai.com');
    expect(merchantKey('Acme Corp. Ltd')).toBe('acme corp. ltd'); // spaces: not a host
  });

  it('writes an IDN host in ASCII, and falls back to the text when it cannot', () => {
    expect(merchantKey('https://Bücher.example/')).toBe('xn--bcher-kva.example');
    expect(merchantKey('bücher.example')).toBe('xn--bcher-kva.example');
    expect(merchantKey(`${CYRILLIC_AWS}.com`)).toBe('xn--ws-6kc.com');
    expect(merchantKey('https://a b.com/x')).toBe('a b.com');
    expect(merchantKey('xn--zz.com')).toBe('xn--zz.com');
  });

  it('keeps * in patterns, URL or not', () => {
    expect(merchantKey(' *.OpenAI.COM ')).toBe('*.openai.com');
    expect(merchantKey('https://*.OpenAI.com/x')).toBe('*.openai.com');
    expect(merchantKey('openai.*')).toBe('openai.*');
    expect(merchantKey('*')).toBe('*');
  });

  it('is idempotent, agrees with the stored list form, and never throws', () => {
    const hostish = fc.constantFrom(
      'a',
      'W',
      '.',
      ':',
      '/',
      '@',
      '*',
      '4',
      '%',
      ' ',
      '\u200b',
      '\uff0e',
      'ß',
      'Σ',
      'ς',
      '\u0430',
      '\u3002',
      'xn--',
      'https://',
      '\ud800',
      '\u0301',
      '\u3164',
    );
    const name = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.array(hostish, { maxLength: 12 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(name, (n) => {
        const key = merchantKey(n);
        expect(merchantKey(key)).toBe(key);
        expect(merchantKey(n.trim().toLowerCase())).toBe(key);
        expect(typeof merchantSkeleton(key)).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });

  it('normalizeText is the key without host handling (for categories)', () => {
    expect(normalizeText(' Com\u200bpute ')).toBe('compute');
    expect(normalizeText('https://API.openai.com/')).toBe('https://api.openai.com/');
  });
});

describe('merchantSkeleton', () => {
  const skel = (name: string) => merchantSkeleton(merchantKey(name));
  it('maps confusables to one prototype', () => {
    expect(merchantKey(CYRILLIC_AWS)).not.toBe('aws');
    expect(skel(CYRILLIC_AWS)).toBe(skel('aws'));
    expect(skel('paypa1.com')).toBe(skel('paypal.com'));
    expect(skel('g00gle.com')).toBe(skel('google.com'));
    expect(skel('arnazon.com')).toBe(skel('amazon.com'));
  });
  it('compares an IDN host in its Unicode form', () => {
    expect(skel(`${CYRILLIC_AWS}.com`)).toBe(skel('aws.com'));
    expect(skel('xn--ws-6kc.com')).toBe(skel('aws.com'));
  });
  it('keeps different names apart', () => {
    expect(skel('aws')).not.toBe(skel('gcp'));
    expect(skel('openai.com')).not.toBe(skel('openai.co'));
  });
});

describe('compiled lists: matchIn and lookalikeIn', () => {
  const list = compileMerchantList(['aws', '*.openai.com', 'paypal.com']);
  const name = (n: string) => new MerchantName(n);
  it('matches every attack string on its key', () => {
    for (const [attack] of ATTACKS) expect(matchIn(list, name(attack))?.listed).toBeDefined();
  });
  it('a glob matches a URL whose host it covers', () => {
    expect(merchantMatches('*.openai.com', 'https://API.OpenAI.com/x')).toBe(true);
    expect(matchIn(list, name('https://API.OpenAI.com/x'))?.listed).toBe('*.openai.com');
    expect(matchIn(list, name('https://openai.com/x'))).toBeUndefined();
  });
  it('finds the entry a look-alike imitates, exact or glob', () => {
    expect(matchIn(list, name(CYRILLIC_AWS))).toBeUndefined();
    expect(lookalikeIn(list, name(CYRILLIC_AWS))?.listed).toBe('aws');
    expect(lookalikeIn(list, name('api.\u03bfpenai.com'))?.listed).toBe('*.openai.com');
    expect(lookalikeIn(list, name('https://PAYPA1.com/x'))?.listed).toBe('paypal.com');
    expect(lookalikeIn(list, name('paypa.com'))).toBeUndefined();
    expect(lookalikeIn(compileMerchantList([]), name(CYRILLIC_AWS))).toBeUndefined();
  });
  it('reports the first entry in list order, as stored', () => {
    const l = compileMerchantList(['*.com', 'a.com', 'A.COM']);
    expect(matchIn(l, name('a.com'))?.listed).toBe('*.com');
    expect(matchIn(compileMerchantList(['a.com', '*.com']), name('A.com'))?.listed).toBe('a.com');
  });
});

describe('policy lists are normalised when loaded, not stored', () => {
  it('derives the lists at parse and stores only what the owner wrote', () => {
    const input = { ...DEFAULT_POLICY, deny_merchants: [' AWS ', 'https://API.OpenAI.com/v1'] };
    const p = policyFromInput(input, 1);
    const stored = serializePolicy(p);
    expect(JSON.parse(stored)).not.toHaveProperty('denyList');
    expect(JSON.parse(stored)).toMatchObject({
      denyMerchants: ['aws', 'https://api.openai.com/v1'],
    });
    const parsed = parsePolicy(stored, 1);
    expect(parsed).toEqual(p);
    expect(parsed.denyList.entries.map((e) => e.key)).toEqual(['aws', 'api.openai.com']);
  });
  it('an old stored policy (no derived fields) is parsed with them', () => {
    const old = JSON.stringify({
      ...JSON.parse(serializePolicy(policyFromInput(DEFAULT_POLICY, 1))),
      allowMerchants: ['aws'],
    });
    expect(parsePolicy(old, 2).allowList.byKey.get('aws')).toBe(0);
  });
});
