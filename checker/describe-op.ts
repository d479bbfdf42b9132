// Operations as people read them in failure messages: who, what, outcome and when, in ms.
import type { OpRecord } from './history.ts';
import { describeState } from './register-model.ts';

/** Milliseconds with three decimals and the unit, so times from one clock line up in a column. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? `${ms.toFixed(3)} ms` : 'never';
}

/** What the operation did, e.g. `put "v3"`, `get → absent`, `cas "a" → "b"`. */
export function describeAction(op: OpRecord): string {
  switch (op.op) {
    case 'put':
      return `put ${describeState(op.value ?? null)}`;
    case 'get':
      return op.outcome === 'ok' ? `get → ${describeState(op.result ?? null)}` : 'get';
    case 'delete':
      return 'delete';
    case 'cas':
      return `cas ${describeState(op.expected ?? null)} → ${describeState(op.value ?? null)}`;
  }
}

/** One line per operation: `#12 process "c1" put "v3" ok, 1.000 ms – 2.500 ms`. */
export function describeOp(op: OpRecord, note?: string): string {
  const outcome = op.outcome === 'info' ? 'info (unknown if applied)' : op.outcome;
  const when = `${formatMs(op.invoke)} – ${formatMs(op.complete)}`;
  return `#${op.id} process ${JSON.stringify(op.process)} ${describeAction(op)} ${outcome}, ${when}${note ? ` (${note})` : ''}`;
}
