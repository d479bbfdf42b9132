// P-compositionality: a history of independent registers is linearizable iff each key's sub-history is,
// so each key is searched alone and the search stays small.
import type { OpRecord } from './history.ts';

/**
 * Groups records by register, keeping each one's records in their original order; registers in
 * first-seen order. A register is a key — of one cluster: the same key in two clusters of a
 * topology is two registers, named "<cluster>/<key>" (records of the column's cluster carry none).
 */
export function partitionByKey(ops: readonly OpRecord[]): Map<string, OpRecord[]> {
  const byKey = new Map<string, OpRecord[]>();
  for (const op of ops) {
    const register = op.cluster ? `${op.cluster}/${op.key}` : op.key;
    const list = byKey.get(register);
    if (list) list.push(op);
    else byKey.set(register, [op]);
  }
  return byKey;
}
