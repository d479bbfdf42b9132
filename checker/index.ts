// The checker's public face: linearizability per key plus the lost-write check, one verdict on top.
import { performance } from 'node:perf_hooks';
import type { OpRecord } from './history.ts';
import { DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_STATES, makeBudget } from './budget.ts';
import { HistoryInputError } from './history-input-error.ts';
import type { CheckResult, KeyResult, Verdict } from './check-result.ts';
import { checkKey } from './linearizable.ts';
import { findLostWrites } from './lost-writes.ts';
import { partitionByKey } from './partition.ts';

export type { CheckResult, KeyFailure, KeyResult, Verdict } from './check-result.ts';
export type { LostWrite } from './lost-writes.ts';
export { HistoryFormatError, formatHistory, parseHistory } from './history-io.ts';
export { describeOp, formatMs } from './describe-op.ts';
export { DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_STATES } from './budget.ts';
export { HistoryInputError } from './history-input-error.ts';
export { parseHistoryBytes } from './history-io.ts';

/** How hard to look and what the keys held before the history began. */
export interface CheckOptions {
  /** Value of each key before the first operation; keys not listed start absent (null). */
  initial?: Readonly<Record<string, string | null>>;
  /** Most search states per key before that key's verdict becomes "unknown" (default 5,000,000). */
  maxStates?: number;
  /** Most memory one key's search memo may take, in MB (default 1024); beyond it the key is "unknown". */
  maxMemoryMb?: number;
  /** Wall-clock limit for the whole check in ms; keys not finished by then are "unknown". */
  timeoutMs?: number;
  /** Shrink failures to the earliest failing cut and a minimal set of operations (default true). */
  minimise?: boolean;
}

/**
 * Checks a history of key-value register operations for linearizability (per key) and lost
 * acknowledged writes.
 * @example
 * const result = checkHistory(parseHistory(text));
 * if (result.verdict !== 'linearizable') console.log(result.keys.find((k) => k.failure)?.failure?.message);
 */
export function checkHistory(ops: readonly OpRecord[], options: CheckOptions = {}): CheckResult {
  const started = performance.now();
  for (const op of ops) {
    if (!(op.complete >= op.invoke)) {
      throw new HistoryInputError(
        `checkHistory: operation #${op.id} must not complete before it is invoked (invoke ${op.invoke} ms, complete ${op.complete} ms).`,
        'take both times from the run\'s monotonic clock; parseHistory() reports such records with their line.',
        op.id,
      );
    }
  }
  const budget = makeBudget(options.maxStates ?? DEFAULT_MAX_STATES, options.timeoutMs, options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB);
  const byKey = partitionByKey(ops);
  const keys: KeyResult[] = [];
  for (const [key, records] of byKey) {
    keys.push(checkKey(key, records, options.initial?.[key] ?? null, budget, options.minimise ?? true));
  }
  const lostWrites = findLostWrites(byKey);
  return { verdict: overall(keys, lostWrites.length), ops: ops.length, keys, lostWrites, elapsedMs: performance.now() - started };
}

function overall(keys: readonly KeyResult[], lost: number): Verdict {
  if (lost > 0 || keys.some((k) => k.verdict === 'not-linearizable')) return 'not-linearizable';
  return keys.some((k) => k.verdict === 'unknown') ? 'unknown' : 'linearizable';
}
