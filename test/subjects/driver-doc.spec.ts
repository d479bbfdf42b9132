// The complete example of docs/client-driver.md runs as written: taken from the page, configured as a driver
// client of etcd, and used against real members through its link proxies — put, get, a watch, a delete.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { driverClient } from '../../runner/subjects/driver-client.ts';
import type { ClientUnderTestConfig, DriverClientConfig } from '../../runner/contract/subject-config.ts';
import { resolveClients } from '../../services/clients/validate-clients.ts';
import { waitForRecording } from '../../runner/watch/watch-recorder.ts';
import { clientsCluster } from './client-cases.ts';

test('the example driver of docs/client-driver.md: put, get, watch and delete on real etcd, its session in the log', async ({ faultline }, testInfo) => {
  const page = fs.readFileSync(path.join(import.meta.dirname, '../../docs/client-driver.md'), 'utf8');
  const source = /```js driver\n([\s\S]*?)```/.exec(page)![1]!;
  // Inside the project, so that `import 'etcd3'` resolves as it would in a platform team's repository.
  const dir = testInfo.outputPath('driver');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'example-driver.mjs'), source);
  const configs = resolveClients({ example: { driver: { command: ['node', './example-driver.mjs'] }, claims: { watch: { resumes: true, source: 'etcd3 1.1.2 lib/watch.ts (WatchManager)' } } } }, { service: 'etcd', baseDir: dir, env: process.env }, (field, rule) => {
    throw new Error(`${field}: ${rule}`);
  });
  const config = configs.example as ClientUnderTestConfig & DriverClientConfig;
  const { run, cluster } = await clientsCluster(faultline);
  const logFile = path.join(run.dir, 'client-etcd-example.log');
  const client = driverClient(config, { logFile, now: () => run.clock.now() });
  try {
    const at = await run.subjectEndpoints(config, cluster, [cluster.endpoint('node-1')]);
    const w = await client.watch!(at, { clock: run.clock, prefix: 'doc/', startRevision: 1 });
    expect(await client.run({ op: 'put', key: 'doc/k', value: 'v1' }, at, run.clock)).toMatchObject({ outcome: 'ok' });
    expect(await client.run({ op: 'get', key: 'doc/k' }, at, run.clock)).toMatchObject({ outcome: 'ok', value: 'v1' });
    expect(await client.run({ op: 'delete', key: 'doc/k' }, at, run.clock)).toMatchObject({ outcome: 'ok' });
    expect(await client.run({ op: 'get', key: 'doc/k' }, at, run.clock)).toMatchObject({ outcome: 'ok', value: null });
    expect(await waitForRecording(w.recording, (r) => r.events.length >= 1, 5000), 'the watch delivered the put').toBeDefined();
    expect(w.recording.events[0]).toMatchObject({ key: 'doc/k', value: 'v1', type: 'put' });
    await w.stop();
    // The driver's connections went through its link proxy: Faultline saw them without being told.
    expect(run.network.linkRecordsOf('example', 'node-1')!.connections.length).toBeGreaterThanOrEqual(1);
  } finally {
    await client.close();
  }
  const log = fs.readFileSync(logFile, 'utf8');
  expect(log).toMatch(/stdin: \{"id":1,"op":"init"\}/);
  expect(log).toMatch(/stdout: \{"id":1,"outcome":"ok","value":"etcd3 example driver"\}/);
  expect(log).toMatch(/stdout: \{"id":\d+,"outcome":"ok","value":"v1"\}/);
});
