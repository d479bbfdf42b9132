// Turns a minimal failure into a message a person can act on: key, cut, operations, and the likely anomaly.
import type { OpRecord } from './history.ts';
import { describeOp, formatMs } from './describe-op.ts';
import type { KeyOp } from './key-op.ts';
import type { MinimalFailure } from './minimise-failure.ts';
import { describeState, type RegisterState } from './register-model.ts';

/** The full failure text for one key: what broke, when, which operations, and a hint when one applies. */
export function explainFailure(
  key: string,
  records: readonly OpRecord[],
  failure: MinimalFailure,
  initial: RegisterState,
): string {
  const lines = [
    `Key ${JSON.stringify(key)} is not linearizable: the history up to ${formatMs(failure.at)} ` +
      `(${failure.prefix.length} of ${records.length} operations) has no order that respects both real time ` +
      `and a single register; ${failure.earliest === false ? 'whether an earlier cut fails too was not decided within the search budget' : 'up to any earlier time it had one'}.`,
    `${failure.core.length === 1 ? 'This operation cannot have happened' : `These ${failure.core.length} operations cannot all have happened`} ` +
      `as recorded, even if every other write took effect at any time after it began, or never` +
      `${failure.minimal ? '' : ' (shrinking stopped at its search budget, so some may be bystanders)'}:`,
    ...failure.core.map((op) => `  ${describeOp(op.record, pendingNote(op, failure.at))}`),
  ];
  const hint = hintFor(key, records, failure.core, initial);
  if (hint) lines.push(`Likely anomaly: ${hint}`);
  return lines.join('\n');
}

function pendingNote(op: KeyOp, at: number): string | undefined {
  return op.optional && op.record.outcome === 'ok' ? `no response yet at ${formatMs(at)}` : undefined;
}

function written(op: OpRecord): RegisterState {
  return op.op === 'delete' ? null : (op.value ?? null);
}

/** Names the classic anomalies (value never written, read from the future, stale read) when the core shows one. */
function hintFor(key: string, records: readonly OpRecord[], core: readonly KeyOp[], initial: RegisterState): string | undefined {
  const observers = core.filter((o) => !o.optional && (o.kind === 'get' || o.kind === 'cas'));
  for (const o of observers) {
    const seen = o.kind === 'get' ? o.result : o.expected;
    const verb = o.kind === 'get' ? 'read' : 'swapped from';
    const fromInitial = seen === initial;
    const writers = records.filter((w) => w.op !== 'get' && written(w) === seen);
    const effective = writers.filter((w) => w.outcome !== 'fail');
    if (!fromInitial && effective.length === 0) {
      const failed = writers.length > 0 ? ` (only failed writes, #${writers.map((w) => w.id).join(', #')}, wrote it)` : '';
      return `#${o.record.id} ${verb} ${describeState(seen)}, a value no operation on key ${JSON.stringify(key)} wrote${failed}.`;
    }
    if (!fromInitial && effective.every((w) => w.invoke > o.complete)) {
      return `#${o.record.id} ${verb} ${describeState(seen)} before any write of it began (first at ${formatMs(effective.reduce((t, w) => Math.min(t, w.invoke), Infinity))}).`;
    }
    // Stale read: every write of the value finished before some write in the core began, which in
    // turn finished before this operation began.
    const latest = effective.reduce((t, w) => Math.max(t, w.outcome === 'ok' ? w.complete : Infinity), -Infinity);
    const newer = core.find(
      (w) => w.kind !== 'get' && !w.optional && w.value !== seen && w.invoke > latest && w.complete < o.invoke,
    );
    if (newer) {
      return `stale read: #${o.record.id} ${verb} ${describeState(seen)} although #${newer.record.id} had already replaced it with ${describeState(newer.value)} (completed at ${formatMs(newer.complete)}, before #${o.record.id} began at ${formatMs(o.invoke)}).`;
    }
  }
  return undefined;
}
