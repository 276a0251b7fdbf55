/**
 * A tiny deterministic PRNG (mulberry32) for the money model's workload: one seed gives one
 * run, step for step, so a failure is replayed with `PURSER_MODEL_SEED=<seed>`. Nothing in
 * the workload may use Math.random.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[this.int(list.length)] as T;
  }

  /** A key drawn with the given weights (zero-weight keys never come up). */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return (entries.at(-1) as [K, number])[0];
  }
}

/** The seeds of a run: one to replay, or `count` of them from a fixed base. */
export function seedsFromEnv(
  defaultCount: number,
  defaultBase: number,
  countVar = 'PURSER_MODEL_SEEDS',
): number[] {
  const one = process.env.PURSER_MODEL_SEED;
  if (one !== undefined && one !== '') return [Number(one) >>> 0];
  const count = Number(process.env[countVar] ?? defaultCount);
  const base = Number(process.env.PURSER_MODEL_SEED_BASE ?? defaultBase);
  return Array.from({ length: count }, (_, i) => (base + i * 7919) >>> 0);
}
