// The run's event record: every spawn, signal, exit, ready and fault, stamped by the run's clock.
import type { Clock } from './clock.ts';

/** One event; `t` is ms from the run's clock origin. */
export interface RunEvent {
  t: number;
  kind: string;
  node?: string;
  pid?: number;
  detail?: string;
  [key: string]: unknown;
}

/** Append-only list of events on one clock. */
export class EventLog {
  readonly events: RunEvent[] = [];
  constructor(readonly clock: Clock) {}

  /** Records an event now and returns it. */
  record(kind: string, fields: Omit<RunEvent, 't' | 'kind'> = {}): RunEvent {
    const event: RunEvent = { t: round(this.clock.now()), kind, ...fields };
    this.events.push(event);
    return event;
  }
}

/** Rounds a clock reading to microseconds for records. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
