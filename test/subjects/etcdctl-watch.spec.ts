// S5 on etcd with `etcdctl watch` (Go clientv3), a command client by etcd's shipped configuration, on real members.
import path from 'node:path';
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { PREFIX, currentRevision, firstEvents, printMeasurement, runS5, s5Cluster } from '../watch/s5-script.ts';
import { ourEtcdctlProcesses } from './client-cases.ts';
import { etcdctl } from './etcd-subjects.ts';

test('etcdctl watch: ordered events before the kill; silent while its member is down, resumes after the restart', async ({ faultline }) => {
  const { run, cluster } = await s5Cluster(faultline);
  // etcdctl never confirms its watch, so it starts from a known revision: no write can slip in before it.
  const startRevision = (await currentRevision(cluster, 'node-1')) + 1;
  const ctl = etcdctl({ logFile: path.join(run.dir, 'etcdctl-watch.log') });
  const w = await ctl.watch!([cluster.endpoint('node-1')], { clock: run.clock, prefix: PREFIX, startRevision });
  let runningDuringOutage: boolean | undefined;
  let m;
  try {
    m = await runS5(run, cluster, w, { deliveryTimeoutMs: 30_000, during: () => (runningDuringOutage = !w.recording.lifecycle.some((l) => l.kind === 'exited')) });
    printMeasurement(m);
    console.log(`[S5 measurement] etcdctl still running while its member was down: ${runningDuringOutage}`);
  } finally {
    await w.stop();
    await ctl.close();
  }
  expect(await ourEtcdctlProcesses(), 'no etcdctl process may remain after stop()').toEqual([]);
  expect(firstEvents(w.recording, 3)).toEqual({ values: ['before-1', 'before-2', 'before-3'], increasing: true });
  // Measured (7 runs): no stderr line, no exit while the member is down; everything arrives 0.4–0.9 s after it is ready.
  expect(runningDuringOutage).toBe(true);
  expect(m.duringOutage).toEqual([]);
  expect(m.downWritesArrivedAfterReadyMs).toBeDefined();
  expect(m.check.ok, m.check.describe()).toBe(true);
  expect([m.check.events, m.check.delivered, m.check.expected.length]).toEqual([9, 9, 9]);
  expect(m.check.ended).toBeUndefined();
});
