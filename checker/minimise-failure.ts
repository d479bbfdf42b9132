// A failure is only useful if a person can see it: the earliest moment the history breaks, and the
// few operations that conflict on their own.
import type { OpRecord } from './history.ts';
import { withMaxStates, type Budget } from './budget.ts';
import { checkKeyOps } from './check-key-ops.ts';
import { toKeyOps, type KeyOp } from './key-op.ts';
import type { RegisterState } from './register-model.ts';

/** Where a key's history first breaks and a small set of operations that shows why. */
export interface MinimalFailure {
  /** The cut: the history up to this time (ms) cannot be linearised; up to any earlier time it can. */
  at: number;
  /** The operations invoked by `at`, in the shape they had then (unanswered writes are optional). */
  prefix: KeyOp[];
  /**
   * Operations of `prefix` that cannot all have happened as recorded, even if every other write took
   * effect at any time after it began, or never; relaxing any one of them makes the rest possible.
   */
  core: KeyOp[];
  /** False when a search budget stopped the shrinking early; the core is then still a failure. */
  minimal: boolean;
  /** False when a budget left open whether an earlier cut fails already (default: `at` is the earliest). */
  earliest?: boolean;
}

const SIDE_SEARCH_STATES = 200_000;
const MAX_CORE_TRIES = 1_000;

/** Shrinks a key's failing history, given the earliest failing cut its search found. */
export function minimiseFailure(records: readonly OpRecord[], at: number, initial: RegisterState, budget: Budget): MinimalFailure {
  const side = withMaxStates(budget, SIDE_SEARCH_STATES);
  const prefix = toKeyOps(records, at);
  const fails = (keep: ReadonlySet<KeyOp>): boolean | undefined => {
    const outcome = checkKeyOps(relaxOthers(prefix, keep), initial, side).outcome;
    return outcome === 'budget-exhausted' ? undefined : outcome === 'not-linearizable';
  };
  const core = shrinkToCore(focus(prefix, fails), fails);
  return { at, prefix, core: core.ops, minimal: core.minimal };
}

/**
 * Keeps the constraints of `keep` and relaxes every other operation: reads are dropped, writes become
 * optional. Relaxing only adds possible orders, so shrinking `keep` is monotone and ddmin applies.
 */
export function relaxOthers(prefix: readonly KeyOp[], keep: ReadonlySet<KeyOp>): KeyOp[] {
  return prefix.flatMap((op): KeyOp[] => {
    if (op.optional || keep.has(op)) return [op];
    return op.kind === 'get' ? [] : [{ ...op, complete: Infinity, optional: true }];
  });
}

/**
 * Anomalies are usually local: the last few operations before the cut plus the writes of the values
 * they observed. Trying growing windows of that shape first makes ddmin start small.
 */
function focus(prefix: readonly KeyOp[], fails: (keep: ReadonlySet<KeyOp>) => boolean | undefined): KeyOp[] {
  const answered = prefix.filter((op) => !op.optional).sort((a, b) => b.complete - a.complete);
  for (let size = 4; size < answered.length / 2; size *= 4) {
    const window = answered.slice(0, size);
    const observed = new Set(window.map((op) => (op.kind === 'get' ? op.result : op.kind === 'cas' ? op.expected : undefined)));
    const sources = answered.filter((op) => op.kind !== 'get' && observed.has(op.value));
    const keep = new Set([...window, ...sources]);
    if (fails(keep) === true) return answered.filter((op) => keep.has(op)).reverse();
  }
  return answered.reverse();
}

/** Delta debugging (Zeller's ddmin) over the answered operations: relax chunks while the rest still fails. */
function shrinkToCore(
  start: readonly KeyOp[],
  fails: (keep: ReadonlySet<KeyOp>) => boolean | undefined,
): { ops: KeyOp[]; minimal: boolean } {
  let items = [...start];
  let chunks = 2;
  let tries = 0;
  let unsure = false;
  while (items.length >= 2) {
    const size = Math.ceil(items.length / chunks);
    let reduced = false;
    for (let begin = 0; begin < items.length && !reduced; begin += size) {
      if (++tries > MAX_CORE_TRIES) return { ops: items, minimal: false };
      const rest = [...items.slice(0, begin), ...items.slice(begin + size)];
      const verdict = fails(new Set(rest));
      unsure ||= verdict === undefined;
      if (verdict === true) {
        items = rest;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (chunks >= items.length) break;
    chunks = Math.min(items.length, chunks * 2);
  }
  return { ops: items, minimal: !unsure };
}
