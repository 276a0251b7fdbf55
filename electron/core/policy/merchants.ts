import { normalizeMerchant } from './policy';

/**
 * Does `merchant` match `pattern`? A pattern without `*` is an exact name (case-insensitive).
 * With `*` it is a glob over the whole name, where `*` stands for any run of characters,
 * dots included: `*.openai.com` matches `api.openai.com` and `a.b.openai.com` but not
 * `openai.com` itself; `openai.*` matches `openai.com`.
 */
export function merchantMatches(pattern: string, merchant: string): boolean {
  const p = normalizeMerchant(pattern);
  const m = normalizeMerchant(merchant);
  return p.includes('*') ? globMatch(p, m) : p === m;
}

/**
 * Wildcard matching with one backtrack point: linear in practice and at worst
 * O(|pattern|·|text|), so a merchant name chosen by an agent cannot make it blow up
 * the way a backtracking regular expression can.
 */
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = t;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      t = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** The first pattern that matches `merchant`, if any. */
export function firstMatch(patterns: readonly string[], merchant: string): string | undefined {
  return patterns.find((p) => merchantMatches(p, merchant));
}
