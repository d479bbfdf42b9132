// The memo of the search: which (linearised set, state) pairs were already explored. Two versions:
// an exact one, and a hashed one that is several times faster; a hash collision can only hide an
// order (a false "not linearizable"), never invent one, so callers confirm failures with the exact memo.
import { stateKey, type RegisterState } from './register-model.ts';

/** The set of operations taken so far, changed in stack order, plus a visited-pairs memo. */
export interface LinearisedSet {
  /** Marks operation `i` as taken (required ranks 0..m-1, then optional operations m..). */
  add(i: number): void;
  /** Undoes the latest `add`, which must have been of `i`. */
  remove(i: number): void;
  /** Records (this set, state); false when the pair was already explored. */
  visit(state: RegisterState): boolean;
  readonly visited: number;
}

/**
 * Exact keys, kept short: every required rank below `top` except the `holes` (operations invoked before
 * a taken one yet still pending: never more than the concurrent clients), plus per group of identical
 * optional operations how many are taken (they are always taken in order, see wgl-search.ts).
 */
export function exactSet(required: number, groupOf: Int32Array): LinearisedSet {
  const holes = new Set<number>();
  const oldTops: number[] = [];
  let top = 0;
  const taken = new Map<number, number>();
  const seen = new Set<string>();
  const sorted = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);
  return {
    add(i) {
      if (i >= required) {
        const g = groupOf[i - required]!;
        taken.set(g, (taken.get(g) ?? 0) + 1);
        return;
      }
      oldTops.push(top);
      if (i < top) return void holes.delete(i);
      for (let q = top; q < i; q++) holes.add(q);
      top = i + 1;
    },
    remove(i) {
      if (i >= required) {
        const g = groupOf[i - required]!;
        const count = taken.get(g)! - 1;
        if (count === 0) taken.delete(g);
        else taken.set(g, count);
        return;
      }
      const oldTop = oldTops.pop()!;
      if (i < oldTop) return void holes.add(i);
      for (let q = oldTop; q < i; q++) holes.delete(q);
      top = oldTop;
    },
    visit(state) {
      const groups = sorted(taken.keys()).map((g) => `${g}x${taken.get(g)}`);
      const key = `${top}:${sorted(holes).join(',')}:${groups.join(',')}:${stateKey(state)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    get visited() {
      return seen.size;
    },
  };
}

/** Zobrist hashing: two 32-bit lanes XOR-ed per taken operation, combined with the state into 53 bits. */
export function hashedSet(size: number): LinearisedSet {
  const random = mulberry32(0x5eed);
  const lane1 = Int32Array.from({ length: size }, () => random() | 0);
  const lane2 = Int32Array.from({ length: size }, () => random() | 0);
  const stateHashes = new Map<RegisterState, [number, number]>();
  const seen = new Set<number>();
  let h1 = 0;
  let h2 = 0;
  const flip = (i: number): void => {
    h1 ^= lane1[i]!;
    h2 ^= lane2[i]!;
  };
  return {
    add: flip,
    remove: flip,
    visit(state) {
      let s = stateHashes.get(state);
      if (s === undefined) stateHashes.set(state, (s = [fnv1a(stateKey(state), 0x811c9dc5), fnv1a(stateKey(state), 0x01000193)]));
      const key = ((h1 ^ s[0]) >>> 0) * 2_097_152 + ((h2 ^ s[1]) >>> 11);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    get visited() {
      return seen.size;
    },
  };
}

function fnv1a(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ (h >>> 16), 0x85ebca6b);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
