// Linearizability of one key's register history, with a failure shrunk to something readable.
import type { OpRecord } from './history.ts';
import type { Budget } from './budget.ts';
import { checkKeyOps } from './check-key-ops.ts';
import type { KeyResult } from './check-result.ts';
import { explainFailure } from './explain-failure.ts';
import { firstImpossibleObservation } from './impossible-reads.ts';
import { cutTimes, toKeyOps } from './key-op.ts';
import { minimiseFailure, type MinimalFailure } from './minimise-failure.ts';
import type { RegisterState } from './register-model.ts';

/** Checks one key; on failure reports the earliest failing cut and the conflicting operations. */
export function checkKey(
  key: string,
  records: readonly OpRecord[],
  initial: RegisterState,
  budget: Budget,
  minimise = true,
): KeyResult {
  const impossible = firstImpossibleObservation(records, initial);
  if (impossible) return checkImpossible(key, records, impossible, initial, budget, minimise);
  const result = checkKeyOps(toKeyOps(records), initial, budget);
  const base = { key, ops: records.length, states: result.states };
  if (result.outcome === 'linearizable') return { ...base, verdict: 'linearizable' };
  if (result.outcome === 'budget-exhausted') {
    const reason =
      result.limit === 'time'
        ? 'the time budget ran out before the search finished; raise it with --timeout <ms> (option timeoutMs)'
        : result.limit === 'memory'
          ? `memory budget of ${Math.round(budget.maxBytes / 2 ** 20)} MB exceeded after ${result.states} states; raise it with --memory <MB> (option maxMemoryMb)`
          : `the search visited more than ${budget.maxStates} states; raise it with --budget <states> (option maxStates)`;
    return { ...base, verdict: 'unknown', reason };
  }
  return failedAt(key, records, result.failedAt ?? Infinity, result.states, initial, budget, minimise);
}

/** The verdict for a key whose history first breaks at `at`, shrunk to a readable failure. */
function failedAt(key: string, records: readonly OpRecord[], at: number, states: number, initial: RegisterState, budget: Budget, minimise: boolean): KeyResult {
  const shrunk = minimise
    ? minimiseFailure(records, at, initial, budget)
    : { at, prefix: toKeyOps(records, at), core: toKeyOps(records, at).filter((o) => !o.optional), minimal: false };
  return failure(key, records, shrunk, states, initial);
}

function failure(key: string, records: readonly OpRecord[], shrunk: MinimalFailure, states: number, initial: RegisterState): KeyResult {
  return {
    key,
    ops: records.length,
    states,
    verdict: 'not-linearizable',
    failure: {
      until: shrunk.at,
      prefix: shrunk.prefix.map((o) => o.record.id),
      ops: shrunk.core.map((o) => o.record),
      minimal: shrunk.minimal,
      message: explainFailure(key, records, shrunk, initial),
    },
  };
}

/**
 * A key with an observation nothing could have produced fails at that operation's return at the
 * latest; only the history before it needs a search, to tell whether an earlier cut fails already.
 */
function checkImpossible(key: string, records: readonly OpRecord[], op: OpRecord, initial: RegisterState, budget: Budget, minimise: boolean): KeyResult {
  const at = op.complete;
  const earlier = cutTimes(records).filter((t) => t < at).pop();
  const before = earlier === undefined ? undefined : checkKeyOps(toKeyOps(records, earlier), initial, budget);
  if (before?.outcome === 'not-linearizable') return failedAt(key, records, before.failedAt ?? earlier!, before.states, initial, budget, minimise);
  const prefix = toKeyOps(records, at);
  const core = prefix.filter((o) => o.record === op);
  return failure(key, records, { at, prefix, core, minimal: true, earliest: before?.outcome !== 'budget-exhausted' }, before?.states ?? 0, initial);
}
