// S5 on etcd with the `etcd3` npm client's watcher (auto-reconnect with backoff, resume from last revision + 1).
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { startEtcd3Watch } from '../../runner/watch/etcd3-watch.ts';
import { PREFIX, firstEvents, memberConnections, newMemberConnections, printMeasurement, runS5, s5Cluster } from './s5-script.ts';

test('etcd3 watcher on node-1 only: ordered events before the kill; retries while it is down, resumes after the restart', async ({ faultline }) => {
  const { run, cluster } = await s5Cluster(faultline);
  const w = await startEtcd3Watch({ clock: run.clock, endpoints: [cluster.endpoint('node-1')], prefix: PREFIX });
  let m;
  try {
    // Its backoff (x2 per failure, reported twice per failure, capped at 30 s) sets when it comes back.
    m = await runS5(run, cluster, w, { deliveryTimeoutMs: 45_000 });
    printMeasurement(m);
  } finally {
    await w.stop();
  }
  expect(firstEvents(w.recording, 3)).toEqual({ values: ['before-1', 'before-2', 'before-3'], increasing: true });
  // Measured (8 runs): 5–7 refused retries while down, one reconnect 0.5–9.1 s after the member is ready.
  expect(m.duringOutage[0]).toMatch(/^reconnecting@\d+ disconnected: 14 UNAVAILABLE/);
  expect(m.duringOutage.filter((l) => l.includes('ECONNREFUSED')).length).toBeGreaterThanOrEqual(2);
  expect(m.afterRestart.filter((l) => l.startsWith('reconnected'))).toHaveLength(1);
  expect(m.check.ok, m.check.describe()).toBe(true);
  expect([m.check.events, m.check.delivered, m.check.expected.length]).toEqual([9, 9, 9]);
});

test('etcd3 watcher given all three members: when the member it uses is killed, it moves to another one', async ({ faultline }) => {
  const { run, cluster } = await s5Cluster(faultline);
  const before = memberConnections(cluster);
  const w = await startEtcd3Watch({ clock: run.clock, endpoints: cluster.names.map((n) => cluster.endpoint(n)), prefix: PREFIX });
  let m;
  try {
    const used = newMemberConnections(cluster, before);
    console.log(`[S5 measurement] etcd3 watcher connected to ${used.join(', ')}`);
    expect(used, 'the watcher holds one connection, to the member it picked').toHaveLength(1);
    m = await runS5(run, cluster, w, { watched: used[0]!, restart: false, deliveryTimeoutMs: 30_000 });
    printMeasurement(m);
  } finally {
    await w.stop();
  }
  expect(firstEvents(w.recording, 3)).toEqual({ values: ['before-1', 'before-2', 'before-3'], increasing: true });
  // Measured (8 runs): the writes made meanwhile arrive through another member 0.13–0.51 s after the kill.
  expect(m.check.reconnects.length).toBeGreaterThanOrEqual(1);
  expect(m.downWritesArrivedAfterKillMs).toBeDefined();
  expect(m.check.ok, m.check.describe()).toBe(true);
  expect([m.check.events, m.check.delivered, m.check.expected.length]).toEqual([9, 9, 9]);
});
