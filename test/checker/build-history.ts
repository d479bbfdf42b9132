// Hand-built histories read like the timeline they describe: who did what, with what outcome, when (ms).
import type { OpRecord, Outcome } from '../../checker/history.ts';

type Span = [invoke: number, complete: number];
interface Extra {
  outcome?: Outcome;
  key?: string;
  cluster?: string;
}
type Draft = Omit<OpRecord, 'id'>;

const base = (process: string, [invoke, complete]: Span, extra: Extra): Omit<Draft, 'op'> => ({
  process, ...(extra.cluster ? { cluster: extra.cluster } : {}), key: extra.key ?? 'k', invoke, complete, outcome: extra.outcome ?? 'ok', attempts: [],
});

/** `put(process, value, [invoke, complete], { outcome, key })`. */
export const put = (process: string, value: string, span: Span, extra: Extra = {}): Draft => ({ ...base(process, span, extra), op: 'put', value });
/** A successful read of `result` (null = absent). */
export const get = (process: string, result: string | null, span: Span, extra: Extra = {}): Draft => ({ ...base(process, span, extra), op: 'get', result });
/** Makes the key absent. */
export const del = (process: string, span: Span, extra: Extra = {}): Draft => ({ ...base(process, span, extra), op: 'delete' });
/** Swaps `expected` (null = absent) for `value`; outcome ok = swapped. */
export const cas = (process: string, expected: string | null, value: string, span: Span, extra: Extra = {}): Draft => ({ ...base(process, span, extra), op: 'cas', expected, value });

/** Numbers the operations 0, 1, 2, … in the order given, so messages can be matched by `#id`. */
export function history(...ops: Draft[]): OpRecord[] {
  return ops.map((op, id) => ({ id, ...op }));
}
