// A failure is only useful if a person can see it: find the earliest moment the history breaks,
// then the few operations that conflict on their own.
import type { OpRecord } from '../history.ts';
import { withMaxStates, type Budget } from './budget.ts';
import { checkKeyOps } from './check-key-ops.ts';
import { cutTimes, toKeyOps, type KeyOp } from './key-op.ts';
import type { RegisterState } from './register-model.ts';

/** Where a key's history first breaks and a small set of operations that shows why. */
export interface MinimalFailure {
  /** The cut: the history up to this time (ms) already cannot be linearised, up to the previous cut it can. */
  at: number;
  /** The operations invoked by `at`, in the shape they had then (unanswered writes are optional). */
  prefix: KeyOp[];
  /**
   * Operations of `prefix` that cannot all have happened as recorded, even if every other write took
   * effect at any time after it began, or never; relaxing any one of them makes the rest possible.
   */
  core: KeyOp[];
  /** False when a search budget stopped the shrinking early; the cut and core are then still failures. */
  minimal: boolean;
}

const SIDE_SEARCH_STATES = 200_000;
const MAX_CORE_TRIES = 2_000;

/**
 * Shrinks a key's failing history. Failing is monotone in the cut (a later cut only adds constraints),
 * so the earliest failing cut is found by bisection over completion times.
 */
export function minimiseFailure(records: readonly OpRecord[], initial: RegisterState, budget: Budget): MinimalFailure {
  const side = withMaxStates(budget, SIDE_SEARCH_STATES);
  const fails = (ops: readonly KeyOp[]): boolean | undefined => {
    const outcome = checkKeyOps(ops, initial, side).outcome;
    return outcome === 'budget-exhausted' ? undefined : outcome === 'not-linearizable';
  };
  const times = cutTimes(records);
  let minimal = true;
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const verdict = fails(toKeyOps(records, times[mid]));
    if (verdict === undefined) {
      minimal = false;
      break;
    }
    if (verdict) hi = mid;
    else lo = mid + 1;
  }
  const at = times[hi] ?? Infinity;
  const prefix = toKeyOps(records, at);
  const core = shrinkToCore(prefix, (keep) => fails(relaxOthers(prefix, keep)));
  return { at, prefix, core: core.ops, minimal: minimal && core.minimal };
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

/** Delta debugging (Zeller's ddmin) over the answered operations: relax chunks while the rest still fails. */
function shrinkToCore(
  prefix: readonly KeyOp[],
  fails: (keep: ReadonlySet<KeyOp>) => boolean | undefined,
): { ops: KeyOp[]; minimal: boolean } {
  let items = prefix.filter((op) => !op.optional);
  let chunks = 2;
  let tries = 0;
  let unsure = false;
  while (items.length >= 2) {
    const size = Math.ceil(items.length / chunks);
    let reduced = false;
    for (let start = 0; start < items.length && !reduced; start += size) {
      if (++tries > MAX_CORE_TRIES) return { ops: items, minimal: false };
      const rest = [...items.slice(0, start), ...items.slice(start + size)];
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
