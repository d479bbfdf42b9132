// Parallel safety: 100 real etcd clusters through 4 workers — no port held by two clusters at
// once, no cluster id twice, and no client that reached another test's cluster.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { etcdProcessesUnder } from './child-run.ts';
import type { ClusterRecord } from '../fixtures/parallel/many-clusters.fixture.ts';
import { PORT_BASES } from './port-bases.ts';

const CLI = path.resolve('node_modules/@playwright/test/cli.js');
const CLUSTERS = 100;
const WORKERS = 4;

/** Two clusters that held the same port during overlapping times. */
export function portCollisions(records: ClusterRecord[]): string[] {
  const byPort = new Map<number, ClusterRecord[]>();
  for (const r of records) for (const p of r.ports) byPort.set(p, [...(byPort.get(p) ?? []), r]);
  const found: string[] = [];
  for (const [port, users] of byPort) {
    const sorted = [...users].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      if (b.start < a.end) found.push(`port ${port}: "${a.test}" (worker ${a.worker}) and "${b.test}" (worker ${b.worker}) overlap by ${(a.end - b.start).toFixed(0)}ms`);
    }
  }
  return found;
}

/** Cluster or member ids seen by more than one test. */
export function sharedIds(records: ClusterRecord[]): string[] {
  const owners = new Map<string, Set<string>>();
  for (const r of records) for (const id of [`cluster ${r.clusterId}`, ...r.memberIds.map((m) => `member ${m}`)]) owners.set(id, (owners.get(id) ?? new Set()).add(r.test));
  return [...owners].filter(([, tests]) => tests.size > 1).map(([id, tests]) => `${id} seen by ${[...tests].join(', ')}`);
}

/** A test whose nodes disagree on the cluster id, repeat a member id, or showed a key it did not write. */
export function crossTalk(records: ClusterRecord[]): string[] {
  return records.flatMap((r) => [
    ...(r.clusterIds.some((c) => c !== r.clusterId) ? [`"${r.test}": its nodes answered with cluster ids ${r.clusterIds.join(', ')}`] : []),
    ...(new Set(r.memberIds).size !== r.memberIds.length ? [`"${r.test}": member ids repeat (${r.memberIds.join(', ')})`] : []),
    ...(r.keysSeen.length !== 1 || r.keysSeen[0] !== r.key ? [`"${r.test}": wrote "${r.key}", saw ${JSON.stringify(r.keysSeen)}`] : []),
  ]);
}

/** The most clusters alive at one moment. */
export function peakConcurrency(records: ClusterRecord[]): number {
  const edges = records.flatMap((r) => [[r.start, 1], [r.end, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let live = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (live += d));
  return peak;
}

/** "title: first line of the error" for each failed test of a JSON report. */
function failures(report: { suites?: unknown[] }): string[] {
  const walk = (suites: any[]): string[] =>
    suites.flatMap((s) => [
      ...(s.specs ?? []).flatMap((spec: any) => spec.tests.flatMap((t: any) => t.results.filter((r: any) => r.status !== 'passed').map((r: any) => `${spec.title}: ${String(r.error?.message ?? r.status).split('\n')[0]}`))),
      ...walk(s.suites ?? []),
    ]);
  return walk(report.suites ?? []);
}

test(`${CLUSTERS} clusters through ${WORKERS} workers: no port collision, no cross-talk, nothing left behind`, async ({}, testInfo) => {
  test.setTimeout(360_000);
  const out = testInfo.outputPath('child');
  const results = path.join(out, 'clusters.jsonl');
  fs.mkdirSync(out, { recursive: true });
  const t0 = Date.now();
  const child = await execa('node', [CLI, 'test', '-c', 'test/fixtures/parallel/parallel.config.ts'], {
    reject: false,
    all: true,
    env: { FAULTLINE_CHILD_OUT: out, FAULTLINE_PORT_BASE: String(PORT_BASES.parallelSafety), FAULTLINE_PARALLEL_RESULTS: results },
  });
  const wallMs = Date.now() - t0;
  const report = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
  const records = fs.existsSync(results) ? fs.readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ClusterRecord) : [];
  // Soft: a collision usually also fails the colliding test, and both facts belong in the report.
  expect.soft(report.stats, failures(report).join('\n') || String(child.all).slice(-4000)).toMatchObject({ expected: CLUSTERS, unexpected: 0, flaky: 0, skipped: 0 });
  expect.soft(portCollisions(records)).toEqual([]);
  expect.soft(sharedIds(records)).toEqual([]);
  expect.soft(crossTalk(records)).toEqual([]);
  expect.soft(await etcdProcessesUnder(out), 'etcd processes left by the child run').toEqual([]);
  expect(records.length, 'one line per passed test').toBe(CLUSTERS);
  expect(new Set(records.map((r) => r.test)).size).toBe(CLUSTERS);
  expect(new Set(records.map((r) => r.worker)), 'every worker ran clusters').toEqual(new Set([0, 1, 2, 3]));
  const peak = peakConcurrency(records);
  expect(peak, 'clusters really ran at the same time').toBeGreaterThanOrEqual(2);

  const nodes = records.reduce((n, r) => n + r.memberIds.length, 0);
  const ports = new Set(records.flatMap((r) => r.ports)).size;
  const summary = `${CLUSTERS} clusters (${nodes} etcd nodes, ${ports} distinct ports) through ${WORKERS} workers in ${(wallMs / 1000).toFixed(1)}s; at most ${peak} clusters alive at once; 0 port collisions, 0 shared ids, 0 cross-talk`;
  console.log(summary);
  await testInfo.attach('clusters.jsonl', { path: results, contentType: 'application/x-ndjson' });
  testInfo.annotations.push({ type: 'summary', description: summary });
});

test('the checks catch a port held twice at once, a shared cluster id and a foreign key', () => {
  const rec = (test: string, ports: number[], start: number, end: number, extra: Partial<ClusterRecord> = {}): ClusterRecord => ({
    test, worker: 0, pid: 1, etcdPids: [2], ports, clusterId: `c-${test}`, memberIds: [`m-${test}`], clusterIds: [`c-${test}`], key: `parallel/${test}`, keysSeen: [`parallel/${test}`], start, end, ...extra,
  });
  // Reusing a port after the first cluster is gone is fine; holding it at the same time is not.
  expect(portCollisions([rec('a', [1, 2], 0, 10), rec('b', [2, 3], 10, 20)])).toEqual([]);
  expect(portCollisions([rec('a', [1, 2], 0, 10), rec('b', [2, 3], 9, 20)])).toEqual(['port 2: "a" (worker 0) and "b" (worker 0) overlap by 1ms']);
  expect(sharedIds([rec('a', [1], 0, 1), rec('b', [2], 0, 1, { clusterId: 'c-a' })])).toEqual(['cluster c-a seen by a, b']);
  expect(crossTalk([rec('a', [1], 0, 1, { keysSeen: ['parallel/a', 'parallel/b'], clusterIds: ['c-a', 'c-b'] })])).toEqual([
    '"a": its nodes answered with cluster ids c-a, c-b',
    '"a": wrote "parallel/a", saw ["parallel/a","parallel/b"]',
  ]);
  expect(peakConcurrency([rec('a', [1], 0, 10), rec('b', [2], 5, 15), rec('c', [3], 10, 20)])).toBe(2);
});
