// The claim matcher judges each retry loop on its own, passes a rate-limited loop, and fails a server that never retries.
import { test, expect } from '@playwright/test';
import { toRetryAsClaimed, judgeView } from '../../../runner/matchers/to-retry-as-claimed.ts';
import { seriesOf } from '../../../runner/peer-retries.ts';
import { etcdService } from '../../../services/etcd/definition.ts';

// The claims as etcd's shipped configuration states them.
const etcd = etcdService();
const etcdPeerClaim = etcd.claims!.peer!;
const grpcProxyReconnectClaim = etcd.dependents!['grpc-proxy']!.claims!.reconnect!;
import type { PeerRetryClaim } from '../../../runner/contract/service.ts';

const tolerance = { tolerance: 0.5, slackMs: 30, quorum: 0.8 };
const loop = (series: string, start: number, gap: number, n: number) => Array.from({ length: n }, (_, i) => ({ t: start + i * gap, series, outcome: 'reset' }));

test('two rate-limited stream loops at ~110 ms pass etcd\'s claim, at the gate and in the log', () => {
  const dials = [...loop('msgapp', 0, 110, 10), ...loop('message', 3, 112, 10), { t: 50, series: 'raft', outcome: 'reset' }];
  const r = toRetryAsClaimed({ observation: { link: 'node-2 → node-1', fromMs: 0, fromWhat: 'refuse at 1s', dials, logLines: dials.slice(0, 20) }, claim: etcdPeerClaim, tolerance });
  expect(r.pass, r.message()).toBe(true);
  expect(r.actual).toContain('1 more of no claimed loop');
});

test('a server that never redials fails, naming the claim and its source', () => {
  const r = toRetryAsClaimed({ observation: { link: 'node-2 → node-1', fromMs: 0, fromWhat: 'refuse at 1s', dials: [], logLines: [] }, claim: etcdPeerClaim, tolerance });
  expect(r.pass).toBe(false);
  expect(r.message()).toContain('no attempt seen');
  expect(r.message()).toContain('rafthttp/transport.go');
});

test('a loop faster than a rate-limit claim fails', () => {
  expect(judgeView('log', loop('msgapp', 0, 20, 10), etcdPeerClaim, tolerance).ok).toBe(false);
});

test('an exponential claim (the seed\'s 3 × 500 ms ×2) passes its backoff and fails a fourth retry', () => {
  const seed: PeerRetryClaim = { what: 'ChainFire Raft client', source: 'T040 seed table', initialMs: 500, multiplier: 2, maxMs: 30_000, retries: 3 };
  const backoff = [0, 500, 1500, 3500].map((t) => ({ t, series: 'all', outcome: 'x' }));
  expect(judgeView('log', backoff, seed, tolerance).ok).toBe(true);
  expect(judgeView('log', [...backoff, { t: 7500, series: 'all', outcome: 'x' }], seed, tolerance).ok).toBe(false);
});

test('grpc-proxy\'s claimed grpc-go backoff (1 s ×1.6 ±20 %): jittered gaps pass, a steady 1 s loop and a silent link fail', () => {
  const tight = { tolerance: 0.2, slackMs: 30, quorum: 0.8 };
  const at = (ts: number[]) => ts.map((t) => ({ t, series: 'unknown', outcome: 'upstream-error' }));
  // Gaps 1.0, 1.9 (+19 %), 2.1 (-18 %), 4.1 s: within the claimed jitter plus the tolerance.
  const grpcGo = judgeView('gate', at([0, 1000, 2900, 5000, 9100]), grpcProxyReconnectClaim, tight);
  expect(grpcGo.ok, grpcGo.why).toBe(true);
  expect(grpcGo.why).toBe('5 attempts, gaps 1s, 1.9s, 2.1s, 4.1s (4/4 within)');
  expect(judgeView('gate', at([0, 1000, 2000, 3000, 4000, 5000]), grpcProxyReconnectClaim, tight).ok).toBe(false);
  expect(judgeView('gate', at([0]), grpcProxyReconnectClaim, tight).why).toContain('1–1 attempts per loop, expected at least 4');
});

test('the stream is read from the request line', () => {
  expect(seriesOf('GET /raft/stream/msgapp/8e9e05c52164694d')).toBe('msgapp');
  expect(seriesOf('POST /raft')).toBe('raft');
  expect(seriesOf(undefined)).toBe('unknown');
});

test('judged by the log alone (no gate on the link): one successful redial per loop passes with atLeast 1, not by default', () => {
  const logLines = [...loop('msgapp', 5200, 0, 1), ...loop('message', 5201, 0, 1)];
  const observation = { link: 'node-2 → node-1', fromMs: 0, fromWhat: 'block at 2s', logLines };
  const one = toRetryAsClaimed({ observation, claim: etcdPeerClaim, tolerance: { ...tolerance, atLeast: 1 } });
  expect(one.pass, one.message()).toBe(true);
  expect(one.message()).toContain('measured at the gate: no gate on this link (judged by the log alone)');
  const byDefault = toRetryAsClaimed({ observation, claim: etcdPeerClaim, tolerance });
  expect(byDefault.pass).toBe(false);
  expect(byDefault.message()).toContain('1–1 attempts per loop, expected at least 4 (the claim sets no limit)');
  // Nothing observed at all is never a pass.
  expect(toRetryAsClaimed({ observation: { link: 'node-2 → node-1', fromMs: 0, fromWhat: 'block at 2s' }, claim: etcdPeerClaim, tolerance: { ...tolerance, atLeast: 1 } }).pass).toBe(false);
});

test('at the gate, one late accept (a long gap then a short one) keeps the claimed rate; a loop that is too fast does not', () => {
  const late = [0, 100, 200, 360, 400, 500, 600, 700].map((t) => ({ t, series: 'msgapp', outcome: 'reset' }));
  expect(judgeView('gate', late, etcdPeerClaim, tolerance).ok).toBe(true);
  // The same times as the server's own log lines: a 40 ms gap is a gap the server made.
  expect(judgeView('log', late, etcdPeerClaim, { ...tolerance, quorum: 1 }).ok).toBe(false);
  expect(judgeView('gate', loop('msgapp', 0, 60, 10), etcdPeerClaim, tolerance).ok).toBe(false);
});
