// Each node's lane, derived from the event record alone: what the process was doing, whether its
// network was cut, when it was leader, and which signals it received.
import type { RunEvent } from '../../runner/records/events.ts';
import { faultSpans, signalFaults, type FaultSpan } from './fault-spans.ts';

/** What a lane shows at one moment; blocked/partitioned/degraded replace "running" while a fault covers the node. */
export type NodeState = 'not-started' | 'starting' | 'running' | 'paused' | 'stopped' | 'blocked' | 'partitioned' | 'degraded';

/** A stretch of one state on one lane, [start, end) in ms. */
export interface StateSegment {
  state: NodeState;
  start: number;
  end: number;
}

/** A signal sent to the node, as the lane marks it. */
export interface SignalMark {
  t: number;
  signal: string;
  label: string;
}

/** One node's lane. */
export interface NodeTimeline {
  node: string;
  segments: StateSegment[];
  leader: LeaderSpan[];
  signals: SignalMark[];
}

/** A stretch as leader, and who said it began: the node's own log line ("log") or a status poll ("poll"). */
export interface LeaderSpan {
  start: number;
  end: number;
  source: 'log' | 'poll';
  term?: string;
}

/** Where faults cover a node, the stronger effect shows: a block outranks a partition, a partition packet loss. */
const RANK: NodeState[] = ['blocked', 'partitioned', 'degraded'];

/**
 * Lanes for `nodes`, then any other node the events name (node-2 before node-10). Before 'spawn' not started;
 * spawn→ready starting; ready running; SIGSTOP paused until SIGCONT; exit stopped until the next spawn.
 * A leader span lasts until another node of the same cluster (the event's token) is seen as leader
 * or the node stops or pauses: a PD's leader and its store's leader are shown side by side.
 */
export function nodeStates(events: readonly RunEvent[], nodes: readonly string[], end: number, faults: FaultSpan[] = faultSpans(events, end)): NodeTimeline[] {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const names = [...nodes];
  const extra = new Set<string>();
  for (const e of sorted) if (isNodeEvent(e) && !names.includes(e.node)) extra.add(e.node);
  names.push(...[...extra].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  const lanes = new Map(names.map((n) => [n, new LaneBuilder(n)]));
  /** The current leader per cluster token ('' for events without one). */
  const leaders = new Map<string, string>();
  const endLeader = (t: number, token: string) => {
    const leader = leaders.get(token);
    if (leader) lanes.get(leader)!.endLeader(t);
    leaders.delete(token);
  };
  const signalled = signalFaults(sorted);
  for (const e of sorted) {
    if (e.t > end) break;
    const lane = 'node' in e && typeof e.node === 'string' ? lanes.get(e.node) : undefined;
    if (e.kind === 'leader') {
      const token = e.token ?? '';
      endLeader(e.t, token);
      if (lane && (lane.state === 'running' || lane.state === 'starting')) {
        lane.startLeader(e.t, e.source ?? 'poll', e.term);
        leaders.set(token, lane.node);
      }
      continue;
    }
    if (!lane) continue;
    if (e.kind === 'spawn') lane.set(e.t, 'starting');
    else if (e.kind === 'ready') lane.ready(e.t);
    else if (e.kind === 'exit') lane.set(e.t, 'stopped');
    else if (e.kind === 'signal') {
      // The fault that sent it names it as the plan does ("kill -9"); any other signal is shown as sent.
      const by = signalled.find((f) => f.start.signal === e.detail && f.start.nodes.includes(lane.node) && f.start.t <= e.t && e.t <= f.end);
      lane.signals.push({ t: e.t, signal: e.detail, label: by?.start.mark ?? e.detail });
      if (e.detail === 'SIGSTOP' && lane.state !== 'stopped' && lane.state !== 'not-started') lane.pause(e.t);
      if (e.detail === 'SIGCONT' && lane.state === 'paused') lane.resume(e.t);
    }
    if (lane.state === 'stopped' || lane.state === 'paused') for (const [token, node] of leaders) if (node === lane.node) endLeader(e.t, token);
  }
  for (const token of [...leaders.keys()]) endLeader(end, token);
  return names.map((n) => lanes.get(n)!.finish(end, faults.filter((f) => f.nodes.includes(n) && f.lane)));
}

function isNodeEvent(e: RunEvent): e is Extract<RunEvent, { kind: 'spawn' | 'ready' | 'signal' | 'exit' | 'leader' }> {
  return e.kind === 'spawn' || e.kind === 'ready' || e.kind === 'signal' || e.kind === 'exit' || e.kind === 'leader';
}

class LaneBuilder {
  state: NodeState = 'not-started';
  readonly signals: SignalMark[] = [];
  private since = 0;
  private beforePause: NodeState = 'running';
  private readonly segments: StateSegment[] = [];
  private readonly leader: LeaderSpan[] = [];
  private leaderSince?: { t: number; source: 'log' | 'poll'; term?: string };

  constructor(readonly node: string) {}

  set(t: number, state: NodeState): void {
    if (t > this.since) this.segments.push({ state: this.state, start: this.since, end: t });
    this.since = Math.max(this.since, t);
    this.state = state;
  }

  ready(t: number): void {
    if (this.state === 'starting') this.set(t, 'running');
    if (this.state === 'paused' && this.beforePause === 'starting') this.beforePause = 'running';
  }

  pause(t: number): void {
    if (this.state !== 'paused') this.beforePause = this.state;
    this.set(t, 'paused');
  }

  resume(t: number): void {
    this.set(t, this.beforePause);
  }

  startLeader(t: number, source: 'log' | 'poll', term?: string): void {
    this.leaderSince = { t, source, ...(term !== undefined ? { term } : {}) };
  }

  endLeader(t: number): void {
    const since = this.leaderSince;
    if (since !== undefined && t > since.t) this.leader.push({ start: since.t, end: t, source: since.source, ...(since.term !== undefined ? { term: since.term } : {}) });
    this.leaderSince = undefined;
  }

  finish(end: number, faults: FaultSpan[]): NodeTimeline {
    this.set(end, this.state);
    const segments = merge(this.segments.flatMap((s) => (s.state === 'running' ? overlay(s, faults) : [s])));
    return { node: this.node, segments, leader: this.leader, signals: this.signals };
  }
}

/** Splits a running segment where faults cover the node; the highest-ranked effect shows. */
function overlay(seg: StateSegment, faults: FaultSpan[]): StateSegment[] {
  const cuts = [...new Set([seg.start, seg.end, ...faults.flatMap((f) => [f.start, f.end]).filter((t) => t > seg.start && t < seg.end)])].sort((a, b) => a - b);
  const out: StateSegment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    const covering = new Set<NodeState>(faults.filter((f) => f.start <= start && f.end >= end && f.end > f.start).map((f) => f.lane!));
    const state = RANK.find((s) => covering.has(s)) ?? 'running';
    out.push({ state, start, end });
  }
  return out;
}

function merge(segments: StateSegment[]): StateSegment[] {
  const out: StateSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.state === s.state && last.end === s.start) last.end = s.end;
    else out.push({ ...s });
  }
  return out;
}
