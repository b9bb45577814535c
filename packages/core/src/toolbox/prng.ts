// A small seeded PRNG (mulberry32): a chaos campaign's fault schedule and a fuzz test replay exactly from their seed.

/** A function returning numbers in [0, 1), deterministic for a given seed. */
export type Random = () => number;

/** mulberry32: 32-bit state, good enough spread for picking faults; never use it for secrets. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of `items`, chosen by `random`. */
export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
}

/** An integer in [min, max], chosen by `random`. */
export function integerBetween(random: Random, min: number, max: number): number {
  return min + Math.min(max - min, Math.floor(random() * (max - min + 1)));
}
