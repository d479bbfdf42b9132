// Lanes come from the event record alone: kill/start, pause/resume, leader handover, network faults.
import { test, expect } from '@playwright/test';
import type { RunEvent } from '../../../runner/records/events.ts';
import { faultSpans } from '../../../report/timeline/fault-spans.ts';
import { nodeStates, type NodeTimeline } from '../../../report/timeline/node-states.ts';

const ev = (t: number, kind: string, node?: string, fields: Record<string, unknown> = {}): RunEvent => ({ t, kind, ...(node ? { node } : {}), ...fields }) as RunEvent;
/** A typed fault record pair: an instant fault (holds false) or one held until its end. */
const fault = (id: number, t: number, end: number | undefined, fields: { fault: string; nodes: string[]; detail?: string; holds?: boolean; lane?: string; signal?: string; mark?: string }): RunEvent[] => {
  const base = { id, fault: fields.fault, title: fields.detail ?? fields.fault, nodes: fields.nodes, detail: fields.detail ?? fields.fault };
  return [ev(t, 'fault.start', undefined, { ...base, holds: fields.holds ?? true, ...(fields.lane ? { lane: fields.lane } : {}), ...(fields.signal ? { signal: fields.signal, mark: fields.mark } : {}) }), ...(end === undefined ? [] : [ev(end, 'fault.end', undefined, base)])];
};
const started = (nodes: string[]): RunEvent[] => [ev(0, 'cluster.start'), ...nodes.map((n) => ev(10, 'spawn', n, { pid: 1 })), ...nodes.map((n, i) => ev(100 + i, 'ready', n))];
const states = (lane: NodeTimeline) => lane.segments.map((s) => [s.state, s.start, s.end]);
const lane = (lanes: NodeTimeline[], node: string) => lanes.find((l) => l.node === node)!;

test('kill -9 then start: running, stopped until the next spawn, starting, running again', () => {
  const kill = fault(1, 499, 506, { fault: 'kill', nodes: ['node-1'], holds: false, signal: 'SIGKILL', mark: 'kill -9' });
  const events = [...started(['node-1']), kill[0]!, ev(500, 'signal', 'node-1', { detail: 'SIGKILL' }), ev(505, 'exit', 'node-1', { signal: 'SIGKILL' }), kill[1]!, ev(900, 'spawn', 'node-1'), ev(1000, 'ready', 'node-1'), ev(1400, 'signal', 'node-1', { detail: 'SIGKILL' })];
  const [l] = nodeStates(events, ['node-1'], 1500);
  expect(states(l!)).toEqual([
    ['not-started', 0, 10],
    ['starting', 10, 100],
    ['running', 100, 505],
    ['stopped', 505, 900],
    ['starting', 900, 1000],
    ['running', 1000, 1500],
  ]);
  // The kill fault's record names its signal as the plan does; the teardown's SIGKILL has no fault and shows as sent.
  expect(l!.signals).toEqual([{ t: 500, signal: 'SIGKILL', label: 'kill -9' }, { t: 1400, signal: 'SIGKILL', label: 'SIGKILL' }]);
});

test('SIGSTOP pauses until SIGCONT; SIGTERM keeps it running until the exit', () => {
  const events = [...started(['node-2']), ev(300, 'signal', 'node-2', { detail: 'SIGSTOP' }), ev(700, 'signal', 'node-2', { detail: 'SIGCONT' }), ev(800, 'signal', 'node-2', { detail: 'SIGTERM' }), ev(850, 'exit', 'node-2', { exitCode: 0 })];
  const [l] = nodeStates(events, ['node-2'], 1000);
  expect(states(l!)).toEqual([
    ['not-started', 0, 10],
    ['starting', 10, 100],
    ['running', 100, 300],
    ['paused', 300, 700],
    ['running', 700, 850],
    ['stopped', 850, 1000],
  ]);
  expect(l!.signals.map((s) => s.label)).toEqual(['SIGSTOP', 'SIGCONT', 'SIGTERM']);
});

test('a node killed while paused is stopped, not paused, and stays stopped', () => {
  const events = [...started(['node-1']), ev(200, 'signal', 'node-1', { detail: 'SIGSTOP' }), ev(300, 'signal', 'node-1', { detail: 'SIGKILL' }), ev(301, 'exit', 'node-1')];
  expect(states(nodeStates(events, ['node-1'], 400)[0]!).slice(-2)).toEqual([
    ['paused', 200, 301],
    ['stopped', 301, 400],
  ]);
});

test('leader handover: a span ends when another node is seen as leader, or when the leader stops or pauses', () => {
  const nodes = ['node-1', 'node-2', 'node-3'];
  const events = [
    ...started(nodes),
    ev(200, 'leader', 'node-1'),
    ev(400, 'signal', 'node-1', { detail: 'SIGKILL' }),
    ev(402, 'exit', 'node-1'),
    ev(900, 'leader', 'node-2'),
    ev(1200, 'leader', 'node-3'),
    ev(1500, 'signal', 'node-3', { detail: 'SIGSTOP' }),
    ev(1700, 'signal', 'node-3', { detail: 'SIGCONT' }),
  ];
  const lanes = nodeStates(events, nodes, 2000);
  expect(lane(lanes, 'node-1').leader).toEqual([{ start: 200, end: 402, source: 'poll' }]);
  expect(lane(lanes, 'node-2').leader).toEqual([{ start: 900, end: 1200, source: 'poll' }]);
  expect(lane(lanes, 'node-3').leader).toEqual([{ start: 1200, end: 1500, source: 'poll' }]);
});

test('a leader still in office at the end keeps its span to the end of the axis', () => {
  const lanes = nodeStates([...started(['node-1']), ev(150, 'leader', 'node-1')], ['node-1'], 3000);
  expect(lanes[0]!.leader).toEqual([{ start: 150, end: 3000, source: 'poll' }]);
});

test('a leader from its own log line starts at the line\'s time and says so (a leader event without a source was a poll)', () => {
  const nodes = ['node-1', 'node-2'];
  const events = [
    ...started(nodes),
    ev(150, 'leader', 'node-1', { source: 'log', term: '2' }),
    ev(400, 'signal', 'node-1', { detail: 'SIGSTOP' }),
    ev(1640, 'leader', 'node-2', { source: 'log', term: '3' }),
  ];
  const lanes = nodeStates(events, nodes, 4000);
  expect(lane(lanes, 'node-1').leader).toEqual([{ start: 150, end: 400, source: 'log', term: '2' }]);
  expect(lane(lanes, 'node-2').leader).toEqual([{ start: 1640, end: 4000, source: 'log', term: '3' }]);
});

test('a block span makes a running node "blocked", a partition "partitioned"; a stopped node stays stopped', () => {
  const nodes = ['node-1', 'node-2', 'node-3'];
  const events = [
    ...started(nodes),
    ...fault(1, 200, 400, { fault: 'block', nodes: ['node-1'], lane: 'blocked' }),
    ev(500, 'signal', 'node-3', { detail: 'SIGKILL' }),
    ev(501, 'exit', 'node-3'),
    ...fault(2, 600, 800, { fault: 'partition', nodes, lane: 'partitioned' }),
    ...fault(3, 900, undefined, { fault: 'loss', nodes: ['node-1'], lane: 'degraded' }),
  ];
  const lanes = nodeStates(events, nodes, 1000);
  expect(states(lane(lanes, 'node-1')).slice(2)).toEqual([
    ['running', 100, 200],
    ['blocked', 200, 400],
    ['running', 400, 600],
    ['partitioned', 600, 800],
    ['running', 800, 900],
    ['degraded', 900, 1000],
  ]);
  expect(states(lane(lanes, 'node-3')).slice(-1)).toEqual([['stopped', 501, 1000]]);
});

test('fault spans pair by record id; one never ended runs to the end and says so; instant faults draw no span', () => {
  const spans = faultSpans(
    [
      ...fault(1, 100, 300, { fault: 'block', nodes: ['node-1'], detail: 'block node-1 (iptables)' }),
      ...fault(2, 150, undefined, { fault: 'block', nodes: ['node-2'], detail: 'block node-2 (iptables)' }),
      ...fault(3, 350, 450, { fault: 'link', nodes: ['node-1', 'node-2'], detail: 'delay 200ms node-1→node-2' }),
      ...fault(4, 500, 510, { fault: 'kill', nodes: ['node-1'], holds: false }),
    ].sort((a, b) => a.t - b.t),
    1000,
  );
  expect(spans.map((s) => [s.detail, s.nodes, s.start, s.end, s.open])).toEqual([
    ['block node-1 (iptables)', ['node-1'], 100, 300, false],
    ['block node-2 (iptables)', ['node-2'], 150, 1000, true],
    ['delay 200ms node-1→node-2', ['node-1', 'node-2'], 350, 450, false],
  ]);
});

test('nodes the events name but the caller did not list still get lanes, after the listed ones, node-2 before node-10', () => {
  const lanes = nodeStates([...started(['node-10', 'node-1', 'node-2'])], ['node-1'], 200);
  expect(lanes.map((l) => l.node)).toEqual(['node-1', 'node-2', 'node-10']);
});

test('two clusters (a PD and its store): each has its own leader span, a new PD leader does not end the store\'s', () => {
  const events = [
    ...started(['node-1', 'pd-node-1', 'pd-node-2']),
    ev(200, 'leader', 'node-1', { token: 'store' }),
    ev(250, 'leader', 'pd-node-1', { token: 'pd' }),
    ev(600, 'signal', 'pd-node-1', { detail: 'SIGKILL' }),
    ev(605, 'exit', 'pd-node-1', { signal: 'SIGKILL' }),
    ev(900, 'leader', 'pd-node-2', { token: 'pd' }),
  ];
  const lanes = nodeStates(events, ['node-1', 'pd-node-1', 'pd-node-2'], 1500);
  expect(lane(lanes, 'node-1').leader).toEqual([{ start: 200, end: 1500, source: 'poll' }]);
  expect(lane(lanes, 'pd-node-1').leader).toEqual([{ start: 250, end: 605, source: 'poll' }]);
  expect(lane(lanes, 'pd-node-2').leader).toEqual([{ start: 900, end: 1500, source: 'poll' }]);
});
