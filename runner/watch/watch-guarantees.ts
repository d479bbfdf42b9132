// The watch guarantees etcd's robustness tests check, applied to one recorded watch client and the run's
// acknowledged writes: nothing lost, duplicated, reordered or invented, plus what happened to the stream.
// Histories carry no revisions, so a write is matched to its event by (key, value), unique in our workloads.
import type { OpRecord } from '../records/history.ts';
import type { WatchEvent, WatchLifecycle, WatchRecording } from './watch-record.ts';
import type { LostWrite, WatchCheck } from './watch-check.ts';
import { describeWatchCheck } from './describe-watch-check.ts';

export type { LostWrite, WatchCheck } from './watch-check.ts';

/** What the recording is checked against. */
export interface WatchCheckOptions {
  /** The watched prefix: only writes to keys under it are expected, events outside it are unexpected. */
  prefix: string;
  /** Whether the client claims to resume after a lost stream (the handle's `resumes`). */
  resumes: boolean;
}

const writes = (op: OpRecord) => op.op === 'put' || op.op === 'cas';
const pair = (key: string, value: string | null | undefined) => `${key}\u0000${value ?? ''}`;

/**
 * Checks one watch recording against the run's history.
 * @example
 * const check = checkWatchGuarantees(handle.recording, run.history, { prefix: 's5/', resumes: handle.resumes });
 * console.log(check.describe());
 */
export function checkWatchGuarantees(recording: WatchRecording, history: readonly OpRecord[], options: WatchCheckOptions): WatchCheck {
  const life = recording.lifecycle;
  const started = life.find((l) => l.kind === 'started');
  const stopped = life.find((l) => l.kind === 'stopped');
  const before = (l: WatchLifecycle) => !stopped || l.t < stopped.t || (l.t === stopped.t && life.indexOf(l) < life.indexOf(stopped));
  const ended = life.find((l) => (l.kind === 'terminated' || l.kind === 'exited') && before(l));
  const of = (kind: WatchLifecycle['kind']) => life.filter((l) => l.kind === kind && before(l));

  const inPrefix = (key: string) => key.startsWith(options.prefix);
  const byPair = new Map<string, OpRecord>();
  for (const op of history) if (writes(op) && inPrefix(op.key)) byPair.set(pair(op.key, op.value), op);
  const deletedKeys = new Set(history.filter((op) => op.op === 'delete' && op.outcome !== 'fail').map((op) => op.key));

  const duplicated: WatchEvent[] = [];
  const reordered: WatchCheck['reordered'] = [];
  const unexpected: WatchCheck['unexpected'] = [];
  const seen = new Set<string>();
  const deliveredOps = new Map<OpRecord, WatchEvent>();
  let last: WatchEvent | undefined;
  for (const e of recording.events) {
    const id = `${e.revision}\u0000${e.key}`;
    if (seen.has(id)) duplicated.push(e);
    else if (last && e.revision < last.revision) reordered.push({ previous: last, event: e });
    seen.add(id);
    if (!last || e.revision >= last.revision) last = e;
    const why = unexpectedWhy(e, options.prefix, byPair, deletedKeys);
    if (why) unexpected.push({ event: e, why });
    const op = e.type === 'put' ? byPair.get(pair(e.key, e.value)) : undefined;
    if (op && !deliveredOps.has(op)) deliveredOps.set(op, e);
  }

  const startT = started?.t ?? Infinity;
  const expected = history.filter((op) => writes(op) && op.outcome === 'ok' && inPrefix(op.key) && op.invoke >= startT && (!stopped || op.complete <= stopped.t));
  const delivered = expected.filter((op) => deliveredOps.has(op)).length;
  const lost: LostWrite[] = [];
  const notDelivered: OpRecord[] = [];
  for (const op of expected) {
    if (deliveredOps.has(op)) continue;
    // A write invoked after this one completed has a higher revision: its event proves a gap.
    const after = [...deliveredOps.entries()].find(([later]) => later.invoke > op.complete)?.[1];
    if (after) lost.push({ write: op, why: 'gap', after });
    // Without resumption nothing promises the tail: even a write acknowledged before the kill may not
    // have been applied by the watched member yet.
    else if (options.resumes) lost.push({ write: op, why: 'never' });
    else notDelivered.push(op);
  }

  const check: Omit<WatchCheck, 'describe'> = {
    client: recording.client,
    prefix: options.prefix,
    resumes: options.resumes,
    ok: lost.length + duplicated.length + reordered.length + unexpected.length === 0,
    events: recording.events.length,
    expected,
    delivered,
    lost,
    notDelivered,
    duplicated,
    reordered,
    unexpected,
    started,
    stopped,
    ended,
    disconnects: of('reconnecting'),
    reconnects: of('reconnected'),
    errors: of('error'),
  };
  return { ...check, describe: () => describeWatchCheck(check) };
}

function unexpectedWhy(e: WatchEvent, prefix: string, byPair: Map<string, OpRecord>, deletedKeys: Set<string>): string | undefined {
  if (!e.key.startsWith(prefix)) return `key outside the watched prefix "${prefix}"`;
  if (e.type === 'delete') return deletedKeys.has(e.key) ? undefined : 'no delete of this key was issued';
  const op = byPair.get(pair(e.key, e.value));
  if (!op) return 'this value was never written to this key';
  if (op.outcome === 'fail') return `its write #${op.id} was recorded as failed (certainly not applied)`;
  return undefined;
}
