// Injected faults as spans: each 'fault.start' paired with its 'fault.end', open ones run to the axis end.
import type { RunEvent } from '../../runner/events.ts';

/** One fault from injection to healing, and the nodes it covers. */
export interface FaultSpan {
  fault: string;
  detail: string;
  nodes: string[];
  start: number;
  end: number;
  /** True when no 'fault.end' arrived: the fault was still in force at the end of the run. */
  open: boolean;
}

/** Pairs fault events by `id`, else by fault and detail, else by fault and nodes, else the latest open one of that fault. */
export function faultSpans(events: readonly RunEvent[], end: number): FaultSpan[] {
  const spans: FaultSpan[] = [];
  const open: Array<{ span: FaultSpan; id: unknown }> = [];
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    if (e.kind === 'fault.start') {
      const span: FaultSpan = { fault: str(e.fault) ?? 'fault', detail: e.detail ?? str(e.fault) ?? 'fault', nodes: coveredNodes(e), start: e.t, end, open: true };
      spans.push(span);
      open.push({ span, id: e.id });
    } else if (e.kind === 'fault.end') {
      const i = matchOpen(open, e);
      if (i < 0) continue;
      const span = open.splice(i, 1)[0]!.span;
      span.end = Math.max(span.start, e.t);
      span.open = false;
    }
  }
  return spans;
}

/** The nodes an event names: `nodes` when given, else `node`. */
export function coveredNodes(e: RunEvent): string[] {
  if (Array.isArray(e.nodes)) return e.nodes.filter((n): n is string => typeof n === 'string');
  return typeof e.node === 'string' ? [e.node] : [];
}

function matchOpen(open: Array<{ span: FaultSpan; id: unknown }>, e: RunEvent): number {
  if (e.id !== undefined) return open.findIndex((o) => o.id === e.id);
  const fault = str(e.fault);
  const same = (o: { span: FaultSpan }) => fault === undefined || o.span.fault === fault;
  const nodes = coveredNodes(e).sort().join(',');
  const tests = [
    (o: { span: FaultSpan }) => same(o) && e.detail !== undefined && o.span.detail === e.detail,
    (o: { span: FaultSpan }) => same(o) && nodes !== '' && [...o.span.nodes].sort().join(',') === nodes,
    same,
  ];
  for (const test of tests) {
    const i = open.findLastIndex(test);
    if (i >= 0) return i;
  }
  return -1;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
