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
  const table = new VisitedTable();
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

  // Same required set and state, no group taken more often than now, and no obligation there that is
  // not also here: everything reachable from here was reachable from there.
  const dominates = (entry: number, state: RegisterState, owed: boolean): boolean => {
    if (table.state[entry] !== state || (table.owed[entry] === 1 && !owed)) return false;
    const cells = table.cells;
    let at = table.cellStart[entry]!;
    const end = at + table.cellLength[entry]!;
    if (cells[at++] !== top || cells[at++] !== holes.length) return false;
    for (const h of holes) if (cells[at++] !== h) return false;
    for (; at < end; at += 2) if (counts[cells[at]!]! < cells[at + 1]!) return false;
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
      const slot = table.slot(h1 ^ s[0], h2 ^ s[1]);
      for (let e = table.head(slot); e >= 0; e = table.next[e]!) if (dominates(e, state, owed)) return false;
      const cells = table.add(slot, state, owed, 2 + holes.length + 2 * takenGroups.length);
      let at = table.cellStart[table.size - 1]!;
      cells[at++] = top;
      cells[at++] = holes.length;
      for (const h of holes) cells[at++] = h;
      for (const g of takenGroups) {
        cells[at++] = g;
        cells[at++] = counts[g]!;
      }
      return true;
    },
    get visited() {
      return table.size;
    },
  };
}

/**
 * Open addressing on the two hash lanes, entries chained per slot, snapshots in one growing pool:
 * no allocation per state, which matters at millions of states.
 */
class VisitedTable {
  size = 0;
  private mask = (1 << 12) - 1;
  private keys1 = new Int32Array(this.mask + 1);
  private keys2 = new Int32Array(this.mask + 1);
  private heads = new Int32Array(this.mask + 1).fill(-1);
  next = new Int32Array(1 << 12);
  cellStart = new Int32Array(1 << 12);
  cellLength = new Int32Array(1 << 12);
  owed = new Uint8Array(1 << 12);
  state: RegisterState[] = [];
  cells = new Int32Array(1 << 14);
  private cellsUsed = 0;
  private slotsUsed = 0;

  /** The slot for this key pair, claiming an empty one if the pair is new. */
  slot(k1: number, k2: number): number {
    if (this.slotsUsed * 2 > this.mask) this.rehash();
    let i = k1 & this.mask;
    while (this.heads[i] !== -1) {
      if (this.keys1[i] === k1 && this.keys2[i] === k2) return i;
      i = (i + 1) & this.mask;
    }
    this.keys1[i] = k1;
    this.keys2[i] = k2;
    this.heads[i] = -2;
    this.slotsUsed++;
    return i;
  }

  head(slot: number): number {
    const h = this.heads[slot]!;
    return h === -2 ? -1 : h;
  }

  /** Adds an entry to the slot's chain; returns the pool to write its `length` cells into. */
  add(slot: number, state: RegisterState, owed: boolean, length: number): Int32Array {
    const e = this.size++;
    if (e >= this.next.length) this.growEntries();
    this.next[e] = this.head(slot);
    this.heads[slot] = e;
    this.owed[e] = owed ? 1 : 0;
    this.state[e] = state;
    if (this.cellsUsed + length > this.cells.length) {
      const bigger = new Int32Array(Math.max(this.cells.length * 2, this.cellsUsed + length));
      bigger.set(this.cells);
      this.cells = bigger;
    }
    this.cellStart[e] = this.cellsUsed;
    this.cellLength[e] = length;
    this.cellsUsed += length;
    return this.cells;
  }

  private growEntries(): void {
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.next = grow(this.next, (n) => new Int32Array(n));
    this.cellStart = grow(this.cellStart, (n) => new Int32Array(n));
    this.cellLength = grow(this.cellLength, (n) => new Int32Array(n));
    this.owed = grow(this.owed, (n) => new Uint8Array(n));
  }

  private rehash(): void {
    const [keys1, keys2, heads] = [this.keys1, this.keys2, this.heads];
    this.mask = this.mask * 2 + 1;
    this.keys1 = new Int32Array(this.mask + 1);
    this.keys2 = new Int32Array(this.mask + 1);
    this.heads = new Int32Array(this.mask + 1).fill(-1);
    for (let i = 0; i < heads.length; i++) {
      if (heads[i] === -1) continue;
      let j = keys1[i]! & this.mask;
      while (this.heads[j] !== -1) j = (j + 1) & this.mask;
      this.keys1[j] = keys1[i]!;
      this.keys2[j] = keys2[i]!;
      this.heads[j] = heads[i]!;
    }
  }
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
