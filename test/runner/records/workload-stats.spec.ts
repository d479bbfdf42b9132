// A workload says what it did: asked vs achieved rate, latency percentiles and a saturation hint —
// computed from its records (fixture records here), and on a real 3-node etcd: in the step (title and
// attached stats) and in the timeline header.
import { test, expect } from '@playwright/test';
import { definePlan } from '../../../dsl/index.ts';
import type { OpRecord } from '../../../runner/records/history.ts';
import { executePlan } from '../../../runner/execute.ts';
import { PortAllocator, workerPortBase } from '../../../runner/ports.ts';
import { Run } from '../../../runner/run.ts';
import { endedWorkloads } from '../../../runner/records/events.ts';
import { describeWorkloadStats, workloadStats } from '../../../runner/records/workload-stats.ts';
import { renderTimeline } from '../../../report/timeline/index.ts';
import { etcdService } from '../../../services/etcd/definition.ts';

/** Fixture records: `n` operations of `latencyMs(i)` each. */
const records = (n: number, latencyMs: (i: number) => number): OpRecord[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, process: 'w1-c1', op: 'get', key: 'k', invoke: i, complete: i + latencyMs(i), outcome: i % 10 === 9 ? 'info' : 'ok', attempts: [] }));

test('rate, percentiles and outcomes from the records; nearest-rank percentiles', () => {
  const s = workloadStats({ id: 1, clients: 4, rate: 100 }, records(100, (i) => i + 1), 0, 1000);
  expect(s).toMatchObject({ operations: 100, achievedRate: 100, askedRate: 100, outcomes: { ok: 90, fail: 0, info: 10 }, latency: { p50: 50, p90: 90, p99: 99, max: 100 } });
  // 4 clients at a mean 50.5 ms can issue ~79 ops/s, but the run achieved the asked 100: not saturated.
  expect(s.saturated).toBeUndefined();
  expect(describeWorkloadStats(s)).toBe('100 of 100 ops/s asked (100 %), 100 ops (90 ok, 0 fail, 10 info) in 1.0 s; latency p50 50.0 ms · p90 90.0 ms · p99 99.0 ms · max 100 ms');
});

test("short of the rate because each client waited on its operations: saturated, with the clients it would take", () => {
  // 16 clients, 2000 ops/s asked, 15 ms per operation: at most ~1067 ops/s.
  const s = workloadStats({ id: 2, clients: 16, rate: 2000 }, records(5300, () => 15), 0, 5000);
  expect(Math.round(s.achievedRate)).toBe(1060);
  expect(s.saturated).toEqual({ clientsNeeded: 30, short: 'clients saturated: use about 30 for 2000 ops/s, or a lower rate', hint: 'the 16 clients were saturated: each waits for its operation (mean 15.0 ms), so together they can issue about 1067 ops/s; for 2000 ops/s use about 30 clients, or ask a lower rate' });
  // Short of the rate with fast operations is not the clients' fault (a stopped workload, a stalled timer): no hint.
  expect(workloadStats({ id: 3, clients: 16, rate: 2000 }, records(1000, () => 1), 0, 5000).saturated).toBeUndefined();
  expect(workloadStats({ id: 4, clients: 1, rate: 10 }, [], 0, 1000)).toMatchObject({ operations: 0, achievedRate: 0, latency: { p50: 0, max: 0 } });
});

test('on a real 3-node etcd: each workload reports itself in its step and in the timeline header', async ({}, testInfo) => {
  test.setTimeout(90_000);
  const plan = definePlan('WS', 'workload stats', { matrix: { etcd: 'TEST' } }, ({ cluster, wait }) => {
    cluster.start({ nodes: 3 });
    // One sequential client cannot do 2000 ops/s against a replicated store (0.5 ms per write and read).
    const flat = cluster.workload({ clients: 1, rate: 2000, keys: 4, for: '1500ms' });
    const paced = cluster.workload({ clients: 3, rate: 30, keys: 4, for: '1500ms' });
    wait('1600ms');
    flat.stop();
    paced.stop();
  });
  const run = new Run(etcdService(), testInfo.outputPath('run'), new PortAllocator(workerPortBase(testInfo.parallelIndex)));
  try {
    await executePlan(plan, run);
  } finally {
    await run.close();
  }
  const [flat, paced] = endedWorkloads(run.events.events).sort((a, b) => a.id - b.id);
  // What each says matches its own records in the history.
  for (const w of [flat!, paced!]) {
    const own = run.history.filter((r) => r.process.startsWith(`w${w.id}-`));
    expect(w.operations).toBe(own.length);
    expect(w.latency.max).toBeCloseTo(Math.max(...own.map((r) => r.complete - r.invoke)), 6);
    expect(w.achievedRate).toBeCloseTo((own.length * 1000) / w.durationMs, 6);
  }
  expect(flat!.achievedRate).toBeLessThan(0.9 * 2000);
  expect(flat!.saturated?.hint).toMatch(/^the 1 clients were saturated: .* for 2000 ops\/s use about \d+ clients, or ask a lower rate$/);
  // Whether 3 clients keep 30 ops/s depends on this machine's load: the verdict must follow from the records.
  const own = run.history.filter((r) => r.process.startsWith(`w${paced!.id}-`));
  const meanMs = own.reduce((sum, r) => sum + r.complete - r.invoke, 0) / own.length;
  expect(!!paced!.saturated, `3 clients at 30 ops/s: ${describeWorkloadStats(paced!)}, mean ${meanMs} ms`).toBe(paced!.achievedRate < 0.9 * 30 && meanMs > 0.9 * 100);

  // The step: its stats attached (its title is the same text as the header's line).
  const attached = testInfo.attachments.filter((a) => /^workload-\d+-stats\.json$/.test(a.name)).map((a) => JSON.parse(a.body!.toString()));
  expect(attached.map((s) => s.id).sort()).toEqual([flat!.id, paced!.id].sort());
  // The timeline header: one line per workload, the saturated one marked.
  const svg = renderTimeline({ title: 'WS', nodes: ['node-1', 'node-2', 'node-3'], events: run.events.events, history: run.history, end: run.clock.now() });
  // In workload order (by id), one line each; the saturated one leads with the fix.
  expect(svg).toMatch(new RegExp(`<text class="workload saturated" x="16" y="66"[^>]*data-workload="${flat!.id}">(<title>[^<]*</title>)?workload ${flat!.id}: clients saturated: use about \\d+ for 2000 ops/s, or a lower rate — \\d+ of 2000 ops/s asked`));
  expect(svg).toMatch(new RegExp(`<text class="workload${paced!.saturated ? ' saturated' : ''}" x="16" y="82"[^>]*data-workload="${paced!.id}">(<title>[^<]*</title>)?workload ${paced!.id}: (clients saturated: [^—]* — )?\\d+ of 30 ops/s asked`));
});
