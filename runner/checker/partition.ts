// P-compositionality: a history of independent registers is linearizable iff each key's sub-history is,
// so each key is searched alone and the search stays small.
import type { OpRecord } from '../history.ts';

/** Groups records by key, keeping each key's records in their original order; keys in first-seen order. */
export function partitionByKey(ops: readonly OpRecord[]): Map<string, OpRecord[]> {
  const byKey = new Map<string, OpRecord[]>();
  for (const op of ops) {
    const list = byKey.get(op.key);
    if (list) list.push(op);
    else byKey.set(op.key, [op]);
  }
  return byKey;
}
