// Wing–Gong–Lowe search with Porcupine's memoisation: backtracking over which pending operation
// takes effect next, never visiting the same (linearised set, register state) twice.
import { performance } from 'node:perf_hooks';
import type { Budget } from './budget.ts';
import type { KeyOp } from './key-op.ts';
import { linearisedSet, MemoBudgetExceeded } from './linearised-set.ts';
import { IMPOSSIBLE, stepRegister, type RegisterState } from './register-model.ts';

/** The three answers a bounded search can give; a budget stop is never a pass. */
export type SearchOutcome = 'linearizable' | 'not-linearizable' | 'budget-exhausted';

/** What one search found and how much it explored. */
export interface SearchResult {
  outcome: SearchOutcome;
  /** Distinct (linearised set, state) pairs visited. */
  states: number;
  /** Bytes the memo held when the search ended (as allocated), for budgets and benchmarks. */
  memoBytes?: number;
  /** Which limit stopped a budget-exhausted search. */
  limit?: 'states' | 'time' | 'memory';
  /**
   * Not linearizable only: the earliest failing cut (ms). The search got every operation that completed
   * before it linearised, and since it explored everything, none of its states linearised those that
   * complete at it: the history up to any earlier time is linearizable, up to this time it is not.
   */
  failedAt?: number;
}

const byInvoke = (a: KeyOp, b: KeyOp): number => a.invoke - b.invoke || a.record.id - b.record.id;
const observes = (op: KeyOp): boolean => op.kind === 'get' || op.kind === 'cas';

/**
 * Decides whether one key's operations have an order that respects real time (a before b when
 * a.complete < b.invoke) and the register model. Required operations must all take effect; optional
 * ones (complete = Infinity) may take effect at any time after their invoke, or never.
 *
 * Candidates at each step, in order: calls before the first pending return in the entry list (as in
 * Porcupine), then optional operations invoked by then. Two rules keep optional operations from
 * multiplying the states, without losing any order that matters:
 * - identical optional operations (same kind and values) are interchangeable, so each group is taken
 *   in invoke order (n+1 subsets instead of 2^n);
 * - an optional write is taken only right before an operation that observes its value (a get of it, a
 *   cas expecting it), and only if it changes the value: otherwise the next write overwrites it unseen,
 *   or it changes nothing, and the same order without it is as good.
 */
export function searchLinearization(
  ops: readonly KeyOp[],
  initial: RegisterState,
  budget: Budget,
): SearchResult {
  const visited = { count: 0, bytes: 0 };
  try {
    return { ...search(ops, initial, budget, visited), memoBytes: visited.bytes };
  } catch (error) {
    if (error instanceof MemoBudgetExceeded) return { outcome: 'budget-exhausted', states: visited.count, limit: 'memory', memoBytes: error.bytes };
    throw error;
  }
}

function search(ops: readonly KeyOp[], initial: RegisterState, budget: Budget, visited: { count: number; bytes: number }): SearchResult {
  const required = ops.filter((o) => !o.optional).sort(byInvoke);
  const optional = ops.filter((o) => o.optional).sort(byInvoke);
  const m = required.length;
  const head = 2 * m;
  // Entries 0..m-1 are calls (by rank in invoke order), m..2m-1 the matching returns.
  const time = (e: number): number => (e < m ? required[e]!.invoke : required[e - m]!.complete);
  // Calls are already in invoke order; merge in the returns by completion (calls first on ties: touching
  // intervals are concurrent).
  const returns = Array.from({ length: m }, (_, r) => r).sort((a, b) => time(a + m) - time(b + m) || a - b);
  const next = new Int32Array(2 * m + 1).fill(-1);
  const prev = new Int32Array(2 * m + 1).fill(-1);
  let last = head;
  for (let c = 0, k = 0; c < m || k < m; ) {
    const e = c < m && (k >= m || time(c) <= time(returns[k]! + m)) ? c++ : returns[k++]! + m;
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  const unlink = (e: number): void => {
    next[prev[e]!] = next[e]!;
    if (next[e]! >= 0) prev[next[e]!] = prev[e]!;
  };
  const relink = (e: number): void => {
    next[prev[e]!] = e;
    if (next[e]! >= 0) prev[next[e]!] = e;
  };

  const groupIndex = new Map<string, number>();
  const groups: number[][] = [];
  optional.forEach((o, j) => {
    const name = JSON.stringify([o.kind, o.value, o.expected]);
    let g = groupIndex.get(name);
    if (g === undefined) groupIndex.set(name, (g = groups.push([]) - 1));
    groups[g]!.push(j);
  });
  const takenCount = new Int32Array(groups.length);

  const set = linearisedSet(m, groups.length, budget.maxBytes);
  // The stack of choices: operation (rank r ≥ 0, or -1 - group) and the state before it.
  const chosen: number[] = [];
  const before: RegisterState[] = [];
  const wasOwed: boolean[] = [];
  let state = initial;
  // Set right after an optional write: the next operation must observe its value (see above).
  let owed = false;
  let remaining = m;
  let inMain = true;
  let cursor = next[head]!;
  let groupCursor = 0;
  let bound = 0;
  let iterations = 0;
  let reached = -Infinity;
  const firstReturnTime = (): number => {
    let e = next[head]!;
    while (e >= 0 && e < m) e = next[e]!;
    return e < 0 ? Infinity : time(e);
  };

  for (;;) {
    visited.count = set.visited;
    visited.bytes = set.bytes;
    if (remaining === 0) return { outcome: 'linearizable', states: set.visited };
    if (set.visited > budget.maxStates) return { outcome: 'budget-exhausted', states: set.visited, limit: 'states' };
    if ((++iterations & 4095) === 0 && performance.now() > budget.deadline) {
      return { outcome: 'budget-exhausted', states: set.visited, limit: 'time' };
    }
    if (inMain) {
      const e = cursor;
      if (e < m) {
        const after = owed && !observes(required[e]!) ? IMPOSSIBLE : stepRegister(state, required[e]!);
        if (after !== IMPOSSIBLE) {
          set.addRequired(e);
          if (set.visit(after, false)) {
            chosen.push(e);
            before.push(state);
            wasOwed.push(owed);
            state = after;
            owed = false;
            unlink(e);
            unlink(e + m);
            remaining--;
            cursor = next[head]!;
            continue;
          }
          set.removeRequired(e);
        }
        cursor = next[e]!;
        continue;
      }
      inMain = false;
      bound = time(e);
      reached = Math.max(reached, bound);
      groupCursor = 0;
    }
    let moved = false;
    for (let g = groupCursor; g < groups.length; g++) {
      const j = groups[g]![takenCount[g]!];
      if (j === undefined || optional[j]!.invoke > bound || (owed && !observes(optional[j]!))) continue;
      const after = stepRegister(state, optional[j]!);
      if (after === IMPOSSIBLE || after === state) continue;
      set.addOptional(g);
      if (set.visit(after, true)) {
        takenCount[g]!++;
        chosen.push(-1 - g);
        before.push(state);
        wasOwed.push(owed);
        state = after;
        owed = true;
        inMain = true;
        cursor = next[head]!;
        moved = true;
        break;
      }
      set.removeOptional(g);
    }
    if (moved) continue;
    const choice = chosen.pop();
    if (choice === undefined) return { outcome: 'not-linearizable', states: set.visited, failedAt: reached };
    state = before.pop()!;
    owed = wasOwed.pop()!;
    if (choice >= 0) {
      set.removeRequired(choice);
      relink(choice + m);
      relink(choice);
      remaining++;
      inMain = true;
      cursor = next[choice]!;
    } else {
      const g = -1 - choice;
      takenCount[g]!--;
      set.removeOptional(g);
      inMain = false;
      groupCursor = g + 1;
      bound = firstReturnTime();
    }
  }
}
