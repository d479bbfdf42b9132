// The SVG as a string: the axis edge, what is left out, the header's words; no browser needed.
import { test, expect } from '@playwright/test';
import type { CheckResult } from '../../../checker/check-result.ts';
import type { OpRecord } from '../../../runner/records/history.ts';
import { renderTimeline, verdictFromCheck } from '../../../report/timeline/index.ts';
import { opLabel } from '../../../report/timeline/op-text.ts';
import { formatTick, ticks } from '../../../report/timeline/scale.ts';

const op = (o: Partial<OpRecord>): OpRecord => ({ id: 1, process: 'client', op: 'put', key: 'k', value: 'v', invoke: 0, complete: 10, outcome: 'ok', attempts: [{ n: 1, start: 0, end: 10, endpoint: 'node-1@x', status: 'OK' }], ...o });

test('a run with no cluster and no operations still renders a whole document', () => {
  const svg = renderTimeline({ title: 't', nodes: [], events: [], history: [], end: 0 });
  expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('no client operations');
  expect(svg).toContain('data-verdict="unknown"');
  expect(svg.trim().endsWith('</svg>')).toBe(true);
});

test('the axis widens to the last operation, and events after it (teardown kills) are left out', () => {
  const svg = renderTimeline({
    title: 't',
    nodes: ['node-1'],
    events: [
      { t: 1, kind: 'spawn', node: 'node-1', pid: 1, detail: 'etcd' },
      { t: 2, kind: 'ready', node: 'node-1', pid: 1 },
      { t: 2500, kind: 'signal', node: 'node-1', pid: 1, detail: 'SIGKILL' },
      { t: 2501, kind: 'exit', node: 'node-1', pid: 1 },
    ],
    history: [op({ invoke: 100, complete: 2000 })],
    end: 1500,
  });
  expect(svg).toContain('data-end="2000"');
  expect(svg).not.toContain('data-signal="SIGKILL"');
  expect(svg).not.toContain('state-stopped');
});

test('ticks read as time: 1-2-5 steps below a second, clock steps above', () => {
  expect(ticks(1000).map(formatTick)).toEqual(['0', '100ms', '200ms', '300ms', '400ms', '500ms', '600ms', '700ms', '800ms', '900ms', '1s']);
  expect(ticks(120_000).map(formatTick)).toEqual(['0', '15s', '30s', '45s', '1m', '1m 15s', '1m 30s', '1m 45s', '2m']);
  expect(ticks(5834).slice(0, 3).map(formatTick)).toEqual(['0', '1s', '2s']);
});

test('bar labels name the operation, and a failed one its last error', () => {
  expect(opLabel(op({}))).toBe('put k=v');
  expect(opLabel(op({ op: 'get', value: undefined, result: null }))).toBe('get k → ∅');
  expect(opLabel(op({ op: 'cas', expected: 'a', value: 'b' }))).toBe('cas k a→b');
  expect(opLabel(op({ outcome: 'fail', attempts: [{ n: 1, start: 0, end: 1, endpoint: 'e', status: 'UNAVAILABLE', error: 'refused\nmore' }] }))).toBe('put k=v  ✗ UNAVAILABLE: refused');
});

test('the badge: green only for linearizable without lost writes; unknown is grey, never a pass', () => {
  const result = (r: Partial<CheckResult>): CheckResult => ({ verdict: 'linearizable', ops: 8, keys: [], lostWrites: [], elapsedMs: 1, ...r });
  expect(verdictFromCheck(result({}))).toEqual({ text: 'linearizable, no lost write (8 ops)', ok: true });
  expect(verdictFromCheck(result({ verdict: 'not-linearizable', keys: [{ key: 'k', verdict: 'not-linearizable', ops: 3, states: 9 }] }))).toEqual({ text: 'not linearizable: key "k"; no lost write', ok: false });
  expect(verdictFromCheck(result({ verdict: 'unknown', keys: [{ key: 'k', verdict: 'unknown', ops: 3, states: 9, reason: 'maxStates 10 reached' }] }))).toEqual({ text: 'unknown (not a pass): maxStates 10 reached; no lost write', ok: 'unknown' });
});

test('a leader marker says where it came from: the node\'s own log line (with its term) or a status poll', () => {
  const svg = renderTimeline({
    title: 't',
    nodes: ['node-1', 'node-2'],
    events: [
      { t: 1, kind: 'spawn', node: 'node-1', pid: 1, detail: 'etcd' },
      { t: 1, kind: 'spawn', node: 'node-2', pid: 2, detail: 'etcd' },
      { t: 2, kind: 'ready', node: 'node-1', pid: 1 },
      { t: 2, kind: 'ready', node: 'node-2', pid: 2 },
      { t: 100, kind: 'leader', node: 'node-1', token: 'c', source: 'poll' },
      { t: 1240, kind: 'leader', node: 'node-2', token: 'c', source: 'log', term: '3' },
    ],
    history: [op({ invoke: 100, complete: 3000 })],
    end: 3000,
  });
  expect(svg).toContain('data-source="poll"');
  expect(svg).toContain('data-source="log"');
  expect(svg).toContain('★ leader (log)');
  expect(svg).toContain('★ leader (poll)');
  expect(svg).toContain('node-2 leader at term 3 from 1.24s to 3s (start by the node&#39;s own log line)');
});
