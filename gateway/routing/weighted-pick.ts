// Weighted random choice with an injectable random source, so tests can seed it and a
// 70/30 split can be checked statistically.

export type RandomSource = () => number;

/** Returns an index into `weights` (non-positive weights never win), or -1 when none is positive. */
export function pickWeightedIndex(weights: readonly number[], random: RandomSource): number {
  let total = 0;
  for (const w of weights) if (w > 0) total += w;
  if (total <= 0) return -1;
  let point = random() * total;
  let lastPositive = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0;
    if (w <= 0) continue;
    lastPositive = i;
    if (point < w) return i;
    point -= w;
  }
  // Floating-point rounding can leave `point` a hair above the last weight.
  return lastPositive;
}

/** Orders items by successive weighted draws without replacement: the first is the primary pick, the rest are the failover order. */
export function weightedOrder<T>(items: readonly T[], weightOf: (item: T) => number, random: RandomSource): T[] {
  const remaining = [...items];
  const ordered: T[] = [];
  while (remaining.length > 0) {
    const index = pickWeightedIndex(remaining.map(weightOf), random);
    if (index === -1) break;
    ordered.push(...remaining.splice(index, 1));
  }
  return ordered;
}

/** mulberry32: a tiny deterministic PRNG for tests and reproducible benchmarks. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
