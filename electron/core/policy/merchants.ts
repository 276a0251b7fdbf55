/**
 * Allow- and deny-list matching on normalised merchant keys, and look-alike detection on
 * their skeletons. What a key and a skeleton are, and why, is in docs/merchant-identity.md.
 */
import { MerchantName, merchantKey, merchantSkeleton } from './merchant-key';

/** One entry of an owner's list, normalised once when the policy is loaded. */
export interface ListedMerchant {
  /** The entry as stored in the policy, for messages. */
  listed: string;
  key: string;
  skeleton: string;
  glob: boolean;
}

/** A list compiled for matching: exact entries by key and by skeleton, globs in order. */
export interface MerchantList {
  readonly entries: readonly ListedMerchant[];
  readonly byKey: ReadonlyMap<string, number>;
  readonly bySkeleton: ReadonlyMap<string, number>;
  /** Indices of the glob entries, in list order. */
  readonly globs: readonly number[];
}

export function compileMerchantList(patterns: readonly string[]): MerchantList {
  const entries: ListedMerchant[] = [];
  const byKey = new Map<string, number>();
  const bySkeleton = new Map<string, number>();
  const globs: number[] = [];
  patterns.forEach((listed, i) => {
    const key = merchantKey(listed);
    const entry = { listed, key, skeleton: merchantSkeleton(key), glob: key.includes('*') };
    entries.push(entry);
    if (entry.glob) {
      globs.push(i);
    } else {
      if (!byKey.has(key)) byKey.set(key, i);
      if (!bySkeleton.has(entry.skeleton)) bySkeleton.set(entry.skeleton, i);
    }
  });
  return { entries, byKey, bySkeleton, globs };
}

/** The first entry (in list order) whose key matches the merchant's key. */
export function matchIn(list: MerchantList, merchant: MerchantName): ListedMerchant | undefined {
  return first(list, list.byKey.get(merchant.key), (e) => globMatch(e.key, merchant.key));
}

/**
 * The first entry the merchant looks like: same skeleton (a glob: its skeleton matches the
 * pattern's skeleton). Meaningful only once `matchIn` found nothing, so that a look-alike
 * is a name that looks listed but is not.
 */
export function lookalikeIn(
  list: MerchantList,
  merchant: MerchantName,
): ListedMerchant | undefined {
  if (list.entries.length === 0) return undefined;
  const { skeleton } = merchant;
  return first(list, list.bySkeleton.get(skeleton), (e) => globMatch(e.skeleton, skeleton));
}

/** The earlier of an exact hit and the first glob that matches before it. */
function first(
  list: MerchantList,
  exact: number | undefined,
  globHit: (entry: ListedMerchant) => boolean,
): ListedMerchant | undefined {
  const limit = exact ?? Infinity;
  for (const i of list.globs) {
    if (i > limit) break;
    const entry = list.entries[i];
    if (entry && globHit(entry)) return entry;
  }
  return exact === undefined ? undefined : list.entries[exact];
}

/**
 * Does `merchant` match `pattern`? Both are normalised to merchant keys first
 * (docs/merchant-identity.md). A pattern without `*` is an exact key. With `*` it is a glob
 * over the whole key, where `*` stands for any run of characters, dots included:
 * `*.openai.com` matches `api.openai.com` and `a.b.openai.com` but not `openai.com`
 * itself; `openai.*` matches `openai.com`.
 */
export function merchantMatches(pattern: string, merchant: string): boolean {
  const p = merchantKey(pattern);
  const m = merchantKey(merchant);
  return p.includes('*') ? globMatch(p, m) : p === m;
}

/**
 * Wildcard matching with one backtrack point: linear in practice and at worst
 * O(|pattern|·|text|), so a merchant name chosen by an agent cannot make it blow up
 * the way a backtracking regular expression can.
 */
export function globMatch(pattern: string, text: string): boolean {
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

/** The first pattern that matches `merchant`, if any, as written. */
export function firstMatch(patterns: readonly string[], merchant: string): string | undefined {
  return matchIn(compileMerchantList(patterns), new MerchantName(merchant))?.listed;
}
