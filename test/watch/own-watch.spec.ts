// S5 on etcd with Faultline's own watch client (no reconnect, the seed's documented gap), on real members.
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { startEtcdWatch } from '../../services/etcd/watch-client.ts';
import { PREFIX, firstEvents, printMeasurement, runS5, s5Cluster } from './s5-script.ts';

test('own watch client: ordered events before the kill; kill -9 of its member terminates the stream for good', async ({ faultline }) => {
  const { run, cluster } = await s5Cluster(faultline);
  const w = await startEtcdWatch(cluster.endpoint('node-1'), { clock: run.clock, prefix: PREFIX });
  let m;
  try {
    m = await runS5(run, cluster, w, { deliveryTimeoutMs: 3000 });
    printMeasurement(m);
  } finally {
    await w.stop();
  }
  expect(firstEvents(w.recording, 3)).toEqual({ values: ['before-1', 'before-2', 'before-3'], increasing: true });
  // Measured (7 runs): "terminated" 10–104 ms after the kill with "UNAVAILABLE: Connection dropped", nothing after it.
  expect(m.duringOutage).toHaveLength(1);
  expect(m.duringOutage[0]).toMatch(/^terminated@\d+ UNAVAILABLE: /);
  expect(m.check.ended?.kind).toBe('terminated');
  expect(m.check.reconnects).toEqual([]);
  expect(m.afterRestart).toEqual([]);
  expect(m.check.ok, m.check.describe()).toBe(true);
  expect([m.check.events, m.check.delivered, m.check.notDelivered.length]).toEqual([3, 3, 6]);
});
