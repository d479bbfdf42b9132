// A read of a value that no write on its key could have produced fails in every order: found by one
// pass over the key's records, it needs no search — which would otherwise try every order of the
// operations around it before giving up (the "ghost read": 2,000 overlapping operations).
import type { OpRecord } from './history.ts';
import type { RegisterState } from './register-model.ts';

/**
 * The answered operation, completing earliest, that observed a state nothing could have produced:
 * a get returning it, or a cas that succeeded expecting it. Undefined when there is none.
 */
export function firstImpossibleObservation(records: readonly OpRecord[], initial: RegisterState): OpRecord | undefined {
  const possible = new Set<RegisterState>([initial]);
  for (const r of records) {
    if (r.outcome === 'fail' || r.op === 'get') continue;
    possible.add(r.op === 'delete' ? null : (r.value ?? null));
  }
  let first: OpRecord | undefined;
  for (const r of records) {
    if (r.outcome !== 'ok' || (r.op !== 'get' && r.op !== 'cas')) continue;
    const seen = r.op === 'get' ? (r.result ?? null) : (r.expected ?? null);
    if (!possible.has(seen) && (!first || r.complete < first.complete)) first = r;
  }
  return first;
}
