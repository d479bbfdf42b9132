// Injected faults as spans: each held fault's typed start record paired with its end by id; open ones run to the axis end.
import type { FaultStart, LaneEffect, RunEvent } from '../../runner/records/events.ts';

/** One fault from injection to healing, and the nodes it covers. */
export interface FaultSpan {
  fault: string;
  detail: string;
  nodes: string[];
  start: number;
  end: number;
  /** How the fault changes the lanes of the nodes it covers (none: a band only). */
  lane?: LaneEffect;
  /** A link fault's "from→to". */
  link?: string;
  /** True when no 'fault.end' arrived: the fault was still in force at the end of the run. */
  open: boolean;
}

/** Spans of the faults that hold until healed (block, partition, loss, link faults), paired by their record id. */
export function faultSpans(events: readonly RunEvent[], end: number): FaultSpan[] {
  const spans: FaultSpan[] = [];
  const open = new Map<number, FaultSpan>();
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    if (e.kind === 'fault.start' && e.holds) {
      const span: FaultSpan = { fault: e.fault, detail: e.detail, nodes: [...e.nodes], start: e.t, end, open: true, ...(e.lane ? { lane: e.lane } : {}), ...(e.link ? { link: e.link } : {}) };
      spans.push(span);
      open.set(e.id, span);
    } else if (e.kind === 'fault.end') {
      const span = open.get(e.id);
      if (!span) continue;
      open.delete(e.id);
      span.end = Math.max(span.start, e.t);
      span.open = false;
    }
  }
  return spans;
}

/** Instant faults that sent a signal (kill, SIGTERM, pause), with the window they ran in: their marks name the signal as the plan does. */
export function signalFaults(events: readonly RunEvent[]): Array<{ start: FaultStart & { t: number }; end: number }> {
  const ends = new Map<number, number>();
  for (const e of events) if (e.kind === 'fault.end') ends.set(e.id, e.t);
  return events.flatMap((e) => (e.kind === 'fault.start' && !e.holds && e.signal ? [{ start: e, end: ends.get(e.id) ?? Infinity }] : []));
}
