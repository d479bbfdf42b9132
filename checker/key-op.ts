// The checker's view of one operation: model fields plus the interval it may take effect in.
import type { OpRecord } from './history.ts';
import type { ModelOp } from './register-model.ts';

/** An operation as the search sees it; `complete` is Infinity when it may take effect at any later time. */
export interface KeyOp extends ModelOp {
  record: OpRecord;
  invoke: number;
  complete: number;
  /** True when the operation may also never have taken effect (info, or no response yet at a cut). */
  optional: boolean;
}

/**
 * Turns records into search operations, as they stood at time `at` (Infinity = the whole history):
 * fail operations and unanswered reads had no effect; writes without a response may or may not apply.
 */
export function toKeyOps(records: readonly OpRecord[], at = Infinity): KeyOp[] {
  const ops: KeyOp[] = [];
  for (const record of records) {
    if (record.outcome === 'fail' || record.invoke > at) continue;
    const answered = record.outcome === 'ok' && record.complete <= at;
    if (record.op === 'get' && !answered) continue;
    ops.push({
      record,
      kind: record.op,
      value: record.op === 'put' || record.op === 'cas' ? (record.value ?? null) : null,
      expected: record.op === 'cas' ? (record.expected ?? null) : null,
      result: record.op === 'get' ? (record.result ?? null) : null,
      invoke: record.invoke,
      complete: answered ? record.complete : Infinity,
      optional: !answered,
    });
  }
  return ops;
}

/** The times at which a history gains a constraint: completions of ok operations, ascending, distinct. */
export function cutTimes(records: readonly OpRecord[]): number[] {
  const times = records.filter((r) => r.outcome === 'ok').map((r) => r.complete);
  return [...new Set(times)].sort((a, b) => a - b);
}
