// The search's memo: which (linearised set, state) pairs were already explored. Keys are Zobrist
// hashes (cheap to update, no strings); every hit is verified against a compact snapshot, so a hash
// collision costs time, never correctness. Optional operations add dominance: a state that took more
// of them than an explored one with the same required set and register state can do nothing new.
import { FaultlineError } from '../dsl/errors.ts';
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
  /** Bytes the memo's tables hold now (as allocated). */
  readonly bytes: number;
}

/**
 * The exact identity of a set, kept short: `top` (one past the highest taken required rank), how many
 * ranks below it are still pending (the holes), and those holes as a list or as a bitset of the span
 * from the lowest hole to `top`, whichever is smaller (chosen from the set alone, so one set has one
 * encoding); plus, per group of identical optional operations, how many are taken. A state costs
 * O(concurrent operations / 32) words, not a list of every pending operation.
 */
export function linearisedSet(required: number, groups: number, maxBytes = Infinity): LinearisedSet {
  const random = mulberry32(0x5eed);
  const lane1 = Int32Array.from({ length: required }, () => random());
  const lane2 = Int32Array.from({ length: required }, () => random());
  const stateHashes = new Map<RegisterState, [number, number]>();
  const table = new VisitedTable(maxBytes);
  const taken = new Int32Array((required >>> 5) + 1);
  let h1 = 0;
  let h2 = 0;
  let top = 0;
  let count = 0;
  // The lowest rank not taken (== top when there are no holes).
  let low = 0;
  const oldTops: number[] = [];
  const counts = new Int32Array(groups);
  const takenGroups: number[] = [];
  const scratch = new Int32Array(3 + (required >>> 5) + 1 + 2 * groups);
  let scratchLength = 0;
  const isTaken = (r: number): boolean => (taken[r >>> 5]! & (1 << (r & 31))) !== 0;
  const toggle = (r: number): void => {
    taken[r >>> 5]! ^= 1 << (r & 31);
    h1 ^= lane1[r]!;
    h2 ^= lane2[r]!;
  };
  const insertSorted = (xs: number[], x: number): void => {
    let i = xs.length;
    xs.push(x);
    while (i > 0 && xs[i - 1]! > x) xs[i] = xs[--i]!;
    xs[i] = x;
  };
  const removeValue = (xs: number[], x: number): void => void xs.splice(xs.indexOf(x), 1);

  /** Writes this set's required part into `scratch`, in the canonical encoding described above. */
  const encode = (): void => {
    const holes = top - count;
    scratch[0] = top;
    scratch[1] = holes;
    if (holes === 0) return void (scratchLength = 2);
    scratch[2] = low;
    let at = 3;
    const first = low >>> 5;
    const last = (top - 1) >>> 5;
    if (holes <= last - first + 1) {
      for (let w = first; w <= last; w++) {
        let free = ~taken[w]!;
        if (w === last && (top & 31) !== 0) free &= (1 << (top & 31)) - 1;
        while (free !== 0) {
          const bit = 31 - Math.clz32(free & -free);
          scratch[at++] = (w << 5) | bit;
          free &= free - 1;
        }
      }
    } else {
      for (let w = first; w <= last; w++) scratch[at++] = taken[w]!;
    }
    scratchLength = at;
  };

  // Same required set and state, no group taken more often than now, and no obligation there that is
  // not also here: everything reachable from here was reachable from there.
  const dominates = (entry: number, state: RegisterState, owed: boolean): boolean => {
    if (table.state[entry] !== state || (table.owed[entry] === 1 && !owed)) return false;
    const cells = table.cells;
    let at = table.cellStart[entry]!;
    const end = at + table.cellLength[entry]!;
    if (end - at < scratchLength) return false;
    for (let i = 0; i < scratchLength; i++) if (cells[at++] !== scratch[i]) return false;
    for (; at < end; at += 2) if (counts[cells[at]!]! < cells[at + 1]!) return false;
    return true;
  };

  return {
    addRequired(r) {
      toggle(r);
      count++;
      oldTops.push(top);
      if (r >= top) top = r + 1;
      if (r === low) while (low < top && isTaken(low)) low++;
    },
    removeRequired(r) {
      toggle(r);
      count--;
      top = oldTops.pop()!;
      if (r < low) low = r;
      if (low > top) low = top;
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
      encode();
      const slot = table.slot(h1 ^ s[0], h2 ^ s[1]);
      for (let e = table.head(slot); e >= 0; e = table.next[e]!) if (dominates(e, state, owed)) return false;
      const cells = table.add(slot, state, owed, scratchLength + 2 * takenGroups.length);
      let at = table.cellStart[table.size - 1]!;
      for (let i = 0; i < scratchLength; i++) cells[at++] = scratch[i]!;
      for (const g of takenGroups) {
        cells[at++] = g;
        cells[at++] = counts[g]!;
      }
      return true;
    },
    get visited() {
      return table.size;
    },
    get bytes() {
      return table.bytes;
    },
  };
}

/** Thrown inside the search when the memo would outgrow its budget; the search turns it into "unknown". */
export class MemoBudgetExceeded extends FaultlineError {
  override name = 'MemoBudgetExceeded';
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`the search memo needs more than ${Math.round(maxBytes / 2 ** 20)} MB`);
  }
}

/**
 * Open addressing on the two hash lanes, entries chained per slot, snapshots in one growing pool:
 * no allocation per state, which matters at millions of states.
 */
class VisitedTable {
  size = 0;
  constructor(private readonly maxBytes: number) {}
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

  /** What the tables hold now: typed arrays as allocated, plus a pointer per remembered state. */
  get bytes(): number {
    const slots = (this.mask + 1) * 12;
    return slots + this.next.length * 13 + this.state.length * 8 + this.cells.byteLength;
  }

  /** Refuses a growth that would pass the budget, counting old and new copies alive at once. */
  private reserve(extra: number): void {
    if (this.bytes + extra > this.maxBytes) throw new MemoBudgetExceeded(this.bytes + extra, this.maxBytes);
  }

  /** The slot for this key pair, claiming an empty one if the pair is new. */
  slot(k1: number, k2: number): number {
    if (this.slotsUsed * 2 > this.mask) {
      this.reserve((this.mask + 1) * 2 * 12);
      this.rehash();
    }
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
    if (this.size >= this.next.length) {
      this.reserve(this.next.length * 2 * 13 + this.next.length * 8);
      this.growEntries();
    }
    const e = this.size++;
    this.next[e] = this.head(slot);
    this.heads[slot] = e;
    this.owed[e] = owed ? 1 : 0;
    this.state[e] = state;
    if (this.cellsUsed + length > this.cells.length) {
      const size = Math.max(Math.ceil(this.cells.length * 1.5), this.cellsUsed + length);
      this.reserve(size * 4);
      const bigger = new Int32Array(size);
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
