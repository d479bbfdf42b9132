// Wing–Gong–Lowe search with Porcupine's memoisation: backtracking over which pending operation
// takes effect next, never visiting the same (linearised set, register state) twice.
import { performance } from 'node:perf_hooks';
import type { Budget } from './budget.ts';
import type { KeyOp } from './key-op.ts';
import { exactSet, hashedSet, type LinearisedSet } from './linearised-set.ts';
import { IMPOSSIBLE, stepRegister, type RegisterState } from './register-model.ts';

/** The three answers a bounded search can give; a budget stop is never a pass. */
export type SearchOutcome = 'linearizable' | 'not-linearizable' | 'budget-exhausted';

/** What one search found and how much it explored. */
export interface SearchResult {
  outcome: SearchOutcome;
  /** Distinct (linearised set, state) pairs visited. */
  states: number;
  /** Which limit stopped a budget-exhausted search. */
  limit?: 'states' | 'time';
}

/** "hashed" is fast but may wrongly prune; "exact" is the reference. See linearised-set.ts. */
export type MemoKind = 'hashed' | 'exact';

const byInvoke = (a: KeyOp, b: KeyOp): number => a.invoke - b.invoke || a.record.id - b.record.id;

/**
 * Decides whether one key's operations have an order that respects real time (a before b when
 * a.complete < b.invoke) and the register model. Required operations must all take effect; optional
 * ones (complete = Infinity) may take effect at any time after their invoke, or never.
 *
 * Candidates at each step, in order: calls before the first pending return in the entry list (as in
 * Porcupine), then optional operations invoked by then. Identical optional operations (same kind and
 * values) are interchangeable, so each group is taken in invoke order, which keeps 2^n subsets at n+1.
 */
export function searchLinearization(
  ops: readonly KeyOp[],
  initial: RegisterState,
  budget: Budget,
  memo: MemoKind = 'hashed',
): SearchResult {
  const required = ops.filter((o) => !o.optional).sort(byInvoke);
  const optional = ops.filter((o) => o.optional).sort(byInvoke);
  const m = required.length;
  const head = 2 * m;
  // Entries 0..m-1 are calls (by rank in invoke order), m..2m-1 the matching returns.
  const time = (e: number): number => (e < m ? required[e]!.invoke : required[e - m]!.complete);
  const order = Array.from({ length: 2 * m }, (_, e) => e).sort(
    (a, b) => time(a) - time(b) || Number(a >= m) - Number(b >= m) || a - b,
  );
  const next = new Int32Array(2 * m + 1).fill(-1);
  const prev = new Int32Array(2 * m + 1).fill(-1);
  let last = head;
  for (const e of order) {
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
  const groupOf = new Int32Array(optional.length);
  optional.forEach((o, j) => {
    const name = JSON.stringify([o.kind, o.value, o.expected]);
    let g = groupIndex.get(name);
    if (g === undefined) groupIndex.set(name, (g = groups.push([]) - 1));
    groups[g]!.push(j);
    groupOf[j] = g;
  });
  const takenCount = new Int32Array(groups.length);

  const set: LinearisedSet = memo === 'exact' ? exactSet(m, groupOf) : hashedSet(m + optional.length);
  // The stack of choices: operation (rank r ≥ 0, or -1 - group) and the state before it.
  const chosen: number[] = [];
  const before: RegisterState[] = [];
  let state = initial;
  let remaining = m;
  let inMain = true;
  let cursor = next[head]!;
  let groupCursor = 0;
  let bound = 0;
  let iterations = 0;
  const firstReturnTime = (): number => {
    let e = next[head]!;
    while (e >= 0 && e < m) e = next[e]!;
    return e < 0 ? Infinity : time(e);
  };

  for (;;) {
    if (remaining === 0) return { outcome: 'linearizable', states: set.visited };
    if (set.visited > budget.maxStates) return { outcome: 'budget-exhausted', states: set.visited, limit: 'states' };
    if ((++iterations & 4095) === 0 && performance.now() > budget.deadline) {
      return { outcome: 'budget-exhausted', states: set.visited, limit: 'time' };
    }
    if (inMain) {
      const e = cursor;
      if (e < m) {
        const after = stepRegister(state, required[e]!);
        if (after !== IMPOSSIBLE) {
          set.add(e);
          if (set.visit(after)) {
            chosen.push(e);
            before.push(state);
            state = after;
            unlink(e);
            unlink(e + m);
            remaining--;
            cursor = next[head]!;
            continue;
          }
          set.remove(e);
        }
        cursor = next[e]!;
        continue;
      }
      inMain = false;
      bound = time(e);
      groupCursor = 0;
    }
    let moved = false;
    for (let g = groupCursor; g < groups.length; g++) {
      const j = groups[g]![takenCount[g]!];
      if (j === undefined || optional[j]!.invoke > bound) continue;
      const after = stepRegister(state, optional[j]!);
      if (after === IMPOSSIBLE) continue;
      set.add(m + j);
      if (set.visit(after)) {
        takenCount[g]!++;
        chosen.push(-1 - g);
        before.push(state);
        state = after;
        inMain = true;
        cursor = next[head]!;
        moved = true;
        break;
      }
      set.remove(m + j);
    }
    if (moved) continue;
    const choice = chosen.pop();
    if (choice === undefined) return { outcome: 'not-linearizable', states: set.visited };
    state = before.pop()!;
    if (choice >= 0) {
      set.remove(choice);
      relink(choice + m);
      relink(choice);
      remaining++;
      inMain = true;
      cursor = next[choice]!;
    } else {
      const g = -1 - choice;
      set.remove(m + groups[g]![--takenCount[g]!]!);
      inMain = false;
      groupCursor = g + 1;
      bound = firstReturnTime();
    }
  }
}
