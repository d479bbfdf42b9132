// The search's memo: which (linearised set, state) pairs were already explored. Keys are Zobrist
// hashes (cheap to update, no strings); every hit is verified against a compact snapshot, so a hash
// collision costs time, never correctness. Optional operations add dominance: a state that took more
// of them than an explored one with the same required set and register state can do nothing new.
import { stateKey, type RegisterState } from './register-model.ts';

/** The set of operations taken so far, changed in stack order, plus the visited-pairs memo. */
export interface LinearisedSet {
  /** Marks required rank `r` as taken. */
  addRequired(r: number): void;
  /** Undoes the latest `addRequired`, which must have been of `r`. */
  removeRequired(r: number): void;
  /** Marks the next optional operation of group `g` as taken; groups are taken in order, see wgl-search.ts. */
  addOptional(g: number): void;
  /** Undoes the latest `addOptional(g)`. */
  removeOptional(g: number): void;
  /**
   * Records (this set, state, owed); false when it, or a state that dominates it, was already explored.
   * `owed`: the next operation must observe the state (it came from an optional write).
   */
  visit(state: RegisterState, owed: boolean): boolean;
  readonly visited: number;
}

interface Snapshot {
  cells: Int32Array;
  state: RegisterState;
  owed: boolean;
  next: Snapshot | undefined;
}

/**
 * The exact identity of a set, kept short: every required rank below `top` except the `holes`
 * (operations invoked before a taken one yet still pending: never more than the concurrent clients),
 * plus, per group of identical optional operations, how many are taken.
 */
export function linearisedSet(required: number, groups: number): LinearisedSet {
  const random = mulberry32(0x5eed);
  const lane1 = Int32Array.from({ length: required }, () => random());
  const lane2 = Int32Array.from({ length: required }, () => random());
  const stateHashes = new Map<RegisterState, [number, number]>();
  const table = new Map<number, Snapshot>();
  let visited = 0;
  let h1 = 0;
  let h2 = 0;
  let top = 0;
  const holes: number[] = [];
  const oldTops: number[] = [];
  const counts = new Int32Array(groups);
  const takenGroups: number[] = [];
  const flip = (i: number): void => {
    h1 ^= lane1[i]!;
    h2 ^= lane2[i]!;
  };
  const insertSorted = (xs: number[], x: number): void => {
    let i = xs.length;
    xs.push(x);
    while (i > 0 && xs[i - 1]! > x) xs[i] = xs[--i]!;
    xs[i] = x;
  };
  const removeValue = (xs: number[], x: number): void => void xs.splice(xs.indexOf(x), 1);

  const snapshot = (state: RegisterState, owed: boolean, next: Snapshot | undefined): Snapshot => {
    const cells = new Int32Array(2 + holes.length + 2 * takenGroups.length);
    cells[0] = top;
    cells[1] = holes.length;
    let at = 2;
    for (const h of holes) cells[at++] = h;
    for (const g of takenGroups) {
      cells[at++] = g;
      cells[at++] = counts[g]!;
    }
    return { cells, state, owed, next };
  };
  // Same required set and state, no group taken more often than now, and no obligation there that is
  // not also here: everything reachable from here was reachable from there.
  const dominates = (s: Snapshot, state: RegisterState, owed: boolean): boolean => {
    const cells = s.cells;
    if (s.state !== state || (s.owed && !owed) || cells[0] !== top || cells[1] !== holes.length) return false;
    let at = 2;
    for (const h of holes) if (cells[at++] !== h) return false;
    for (; at < cells.length; at += 2) if (counts[cells[at]!]! < cells[at + 1]!) return false;
    return true;
  };

  return {
    addRequired(r) {
      flip(r);
      oldTops.push(top);
      if (r < top) return removeValue(holes, r);
      for (let q = top; q < r; q++) holes.push(q);
      top = r + 1;
    },
    removeRequired(r) {
      flip(r);
      const oldTop = oldTops.pop()!;
      if (r < oldTop) return insertSorted(holes, r);
      holes.length -= r - oldTop;
      top = oldTop;
    },
    addOptional(g) {
      if (counts[g]!++ === 0) insertSorted(takenGroups, g);
    },
    removeOptional(g) {
      if (--counts[g]! === 0) removeValue(takenGroups, g);
    },
    visit(state, owed) {
      let s = stateHashes.get(state);
      if (s === undefined) stateHashes.set(state, (s = [fnv1a(stateKey(state), 0x811c9dc5), fnv1a(stateKey(state), 0x2f1a5b67)]));
      const key = ((h1 ^ s[0]) >>> 0) * 2_097_152 + ((h2 ^ s[1]) >>> 11);
      const first = table.get(key);
      for (let e = first; e !== undefined; e = e.next) if (dominates(e, state, owed)) return false;
      table.set(key, snapshot(state, owed, first));
      visited++;
      return true;
    },
    get visited() {
      return visited;
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
    return (t ^ (t >>> 14)) | 0;
  };
}
