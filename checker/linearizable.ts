// Linearizability of one key's register history, with a failure shrunk to something readable.
import type { OpRecord } from './history.ts';
import type { Budget } from './budget.ts';
import { checkKeyOps } from './check-key-ops.ts';
import type { KeyResult } from './check-result.ts';
import { explainFailure } from './explain-failure.ts';
import { toKeyOps } from './key-op.ts';
import { minimiseFailure } from './minimise-failure.ts';
import type { RegisterState } from './register-model.ts';

/** Checks one key; on failure reports the earliest failing cut and the conflicting operations. */
export function checkKey(
  key: string,
  records: readonly OpRecord[],
  initial: RegisterState,
  budget: Budget,
  minimise = true,
): KeyResult {
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
  const at = result.failedAt ?? Infinity;
  const shrunk = minimise
    ? minimiseFailure(records, at, initial, budget)
    : { at, prefix: toKeyOps(records, at), core: toKeyOps(records, at).filter((o) => !o.optional), minimal: false };
  return {
    ...base,
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
