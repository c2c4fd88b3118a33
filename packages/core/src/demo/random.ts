/**
 * Seeded pseudo-random numbers for the demo generator. mulberry32 is small,
 * fast and fully determined by its 32-bit seed, so the same seed always
 * yields the same business.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(min: number, max: number): number;
  /** Integer in [min, max], both inclusive. */
  integer(min: number, max: number): number;
  chance(probability: number): boolean;
  normal(mean: number, standardDeviation: number): number;
  /** Poisson count; normal approximation above 30 keeps it O(1). */
  poisson(mean: number): number;
  pick<T>(items: readonly T[]): T;
  pickWeighted<T>(items: readonly (readonly [T, number])[]): T;
}

/** FNV-1a over a label, mixed with the seed: independent streams per subsystem. */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < label.length; index += 1) {
    hash ^= label.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Creates a mulberry32 stream. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean: number, standardDeviation: number): number => {
    // Box-Muller; 1 - next() avoids log(0).
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    return mean + standardDeviation * radius * Math.cos(2 * Math.PI * next());
  };
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = next();
    while (product > limit) {
      count += 1;
      product *= next();
    }
    return count;
  };
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new RangeError('pick needs a non-empty list');
    return item;
  };
  const pickWeighted = <T>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let target = next() * total;
    for (const [item, weight] of items) {
      target -= weight;
      if (target < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new RangeError('pickWeighted needs a non-empty list');
    return last[0];
  };
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    normal,
    poisson,
    pick,
    pickWeighted,
  };
}
