// The run's event record: every spawn, signal, exit, ready and fault, stamped by the run's clock.
import type { CheckResult, KeyResult } from '../../checker/index.ts';
import type { Clock } from '../time/clock.ts';
import type { FaultEnd, FaultStart } from '../faults/fault-records.ts';
import type { WorkloadStats } from './workload-stats.ts';
import type { FirewallEvent } from '../firewall/firewall-event.ts';

export type { FaultEnd, FaultStart, LaneEffect } from '../faults/fault-records.ts';

/** Process events, as node-process.ts and cluster.ts see them. */
export type ProcessEvent =
  | { kind: 'spawn'; node: string; pid: number; detail: string; user?: string }
  | { kind: 'ready'; node: string; pid: number }
  | { kind: 'signal'; node: string; pid: number; detail: NodeJS.Signals }
  | { kind: 'exit'; node: string; pid: number; exitCode?: number; signal?: string; detail?: string }
  /** A leader: `source` says whether the node's own log line ("log", at the line's time) or a status poll ("poll", when it answered) told. */
  | { kind: 'leader'; node: string; token: string; source?: 'log' | 'poll'; term?: string };

/** Run milestones that only carry a human-readable detail. */
export type NoteKind = 'cluster.start' | 'cluster.stop' | 'pd.configured' | 'bind' | 'watch.start' | 'workload.start' | 'verdict' | 'peer.cut.effect';

/** One milestone (a union per kind, so `Extract` finds each). */
export type NoteEvent = { [K in NoteKind]: { kind: K; detail: string; node?: string; token?: string } }[NoteKind];

/** A workload ended: what it did against what it was asked, for its step and the timeline header. */
export interface WorkloadStopEvent {
  kind: 'workload.stop';
  detail: string;
  stats: WorkloadStats;
}

/** A consistency verdict over a history, recorded when the checker gave it (per-key detail without the search's failure dump). */
export interface CheckEvent {
  kind: 'check';
  result: Pick<CheckResult, 'verdict' | 'ops' | 'lostWrites'> & { keys: Array<Omit<KeyResult, 'failure'>> };
}

/** Every event kind without its time stamp. */
export type RunEventBody = ProcessEvent | NoteEvent | WorkloadStopEvent | FirewallEvent | FaultStart | FaultEnd | CheckEvent;

/** One event; `t` is ms from the run's clock origin. */
export type RunEvent = RunEventBody & { t: number };

/** The fields of one kind of event. */
export type EventFields<K extends RunEvent['kind']> = Omit<Extract<RunEventBody, { kind: K }>, 'kind'>;

/** Append-only list of events on one clock. */
export class EventLog {
  readonly events: RunEvent[] = [];
  constructor(readonly clock: Clock) {}

  /** Records an event now and returns it. */
  record<K extends RunEvent['kind']>(kind: K, fields: EventFields<K>): Extract<RunEvent, { kind: K }> {
    const event = { t: round(this.clock.now()), kind, ...fields } as Extract<RunEvent, { kind: K }>;
    this.events.push(event);
    return event;
  }

  /** Records an event that happened at `t` (e.g. a server's own log line), not now, and returns it. */
  recordAt<K extends RunEvent['kind']>(t: number, kind: K, fields: EventFields<K>): Extract<RunEvent, { kind: K }> {
    const event = { t: round(t), kind, ...fields } as Extract<RunEvent, { kind: K }>;
    this.events.push(event);
    return event;
  }
}

/** Rounds a clock reading to microseconds for records. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The stats of every workload that has ended, read from the run's events (in end order). */
export function endedWorkloads(events: readonly RunEvent[]): WorkloadStats[] {
  return events.flatMap((e) => (e.kind === 'workload.stop' ? [e.stats] : []));
}
