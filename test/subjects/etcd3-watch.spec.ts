// S5 on etcd with the `etcd3` npm client's watcher through etcd's shipped driver (auto-reconnect with backoff,
// resume from last revision + 1).
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import path from 'node:path';
import { PREFIX, currentRevision, firstEvents, printMeasurement, runS5, s5Cluster } from '../watch/s5-script.ts';
import { etcd3 } from './etcd-subjects.ts';

test('etcd3 watcher on node-1 only: ordered events before the kill; retries while it is down, resumes after the restart', async ({ faultline }) => {
  const { run, cluster } = await s5Cluster(faultline);
  const client = etcd3({ clock: run.clock, logFile: path.join(run.dir, 'etcd3-driver.log') });
  const w = await client.watch!([cluster.endpoint('node-1')], { clock: run.clock, prefix: PREFIX, startRevision: (await currentRevision(cluster, 'node-1')) + 1 });
  let m;
  try {
    // Its backoff (x2 per failure, reported twice per failure, capped at 30 s) sets when it comes back.
    m = await runS5(run, cluster, w, { deliveryTimeoutMs: 45_000 });
    printMeasurement(m);
  } finally {
    await w.stop();
    await client.close();
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
  const client = etcd3({ clock: run.clock, logFile: path.join(run.dir, 'etcd3-driver.log') });
  // Through its per-link proxies, as in a scenario: the proxy that holds an open connection names the member it uses.
  const proxied = await run.subjectEndpoints(client.config, cluster, cluster.names.map((n) => cluster.endpoint(n)));
  const w = await client.watch!(proxied, { clock: run.clock, prefix: PREFIX, startRevision: (await currentRevision(cluster, 'node-1')) + 1 });
  let m;
  try {
    const used = cluster.names.filter((n) => run.network.linkRecordsOf('etcd3', n)!.connections.some((c) => c.closedAt === undefined));
    console.log(`[S5 measurement] etcd3 watcher connected to ${used.join(', ')}`);
    expect(used, 'the watcher holds one connection, to the member it picked').toHaveLength(1);
    m = await runS5(run, cluster, w, { watched: used[0]!, restart: false, deliveryTimeoutMs: 30_000 });
    printMeasurement(m);
  } finally {
    await w.stop();
    await client.close();
  }
  expect(firstEvents(w.recording, 3)).toEqual({ values: ['before-1', 'before-2', 'before-3'], increasing: true });
  // Measured (8 runs): the writes made meanwhile arrive through another member 0.13–0.51 s after the kill.
  expect(m.check.reconnects.length).toBeGreaterThanOrEqual(1);
  expect(m.downWritesArrivedAfterKillMs).toBeDefined();
  expect(m.check.ok, m.check.describe()).toBe(true);
  expect([m.check.events, m.check.delivered, m.check.expected.length]).toEqual([9, 9, 9]);
});
