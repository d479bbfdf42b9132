// etcdctl (Go clientv3) as etcd ships it, a command client by configuration, on real members: one process
// per operation, its tries from the lines its retry interceptor logs.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { clientsCluster, healthyRoundTrip, measured, ourEtcdctlProcesses } from './client-cases.ts';
import { etcdctl } from './etcd-subjects.ts';

test.afterEach(async () => {
  expect(await ourEtcdctlProcesses(), 'no etcdctl process may outlive its operation').toEqual([]);
});

test('etcdctl: put, get, delete and get of an absent key on a healthy member', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const logFile = path.join(run.dir, 'etcdctl.log');
  const ctl = etcdctl({ logFile });
  const at = [cluster.endpoint('node-1')];
  try {
    await healthyRoundTrip(run, ctl, at, '-dash/k');
  } finally {
    await ctl.close();
  }
  const log = fs.readFileSync(logFile, 'utf8');
  expect(log).toMatch(/\[op 2 pid \d+\] stdout: \{"header"/);
  expect(log).toMatch(/\[op 3 pid \d+\] exit code 0/);
});

test('etcdctl against its only member killed: exits 1 after its command timeout, one logged try, outcome fail', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const at = [cluster.endpoint('node-1')];
  await cluster.kill('node-1');
  const ctl = etcdctl({ flags: ['--command-timeout=1000ms'], logFile: path.join(run.dir, 'etcdctl.log') });
  try {
    const put = await measured(run, ctl, 'killed node-1', { op: 'put', key: 'k', value: 'v' }, at);
    const get = await measured(run, ctl, 'killed node-1', { op: 'get', key: 'k' }, at);
    for (const r of [put, get]) {
      // The configured "notSent" text proves the put never left: fail, not info.
      expect(r.outcome).toBe('fail');
      expect(r.error).toBe('Error: context deadline exceeded (exit code 1)');
      // Measured: one warn line ("attempt":0) at the command timeout, and no other try.
      expect(r.attempts).toHaveLength(1);
      expect(r.attempts[0]).toMatchObject({ n: 1, status: 'DEADLINE_EXCEEDED', endpoint: `node-1@${at[0]!.address}` });
      expect(r.attempts[0]!.error).toMatch(/latest balancer error: all SubConns are in TransientFailure \(target endpoint:\/\/client-[0-9a-f-]+\/127\.0\.0\.1:\d+\)$/);
      expect(r.ms).toBeGreaterThanOrEqual(1000);
      expect(r.ms).toBeLessThan(4000);
    }
  } finally {
    await ctl.close();
  }
});

test('etcdctl against a paused member with a 1 s command timeout: a put is info (the log cannot tell sent from unsent)', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const at = [cluster.endpoint('node-1')];
  const ctl = etcdctl({ flags: ['--command-timeout=1000ms'], logFile: path.join(run.dir, 'etcdctl.log') });
  try {
    cluster.pause('node-1');
    const put = await measured(run, ctl, 'paused node-1', { op: 'put', key: 'k', value: 'during-pause' }, at);
    const get = await measured(run, ctl, 'paused node-1', { op: 'get', key: 'k' }, at);
    cluster.resume('node-1');
    await cluster.leader(5000);
    const after = await measured(run, ctl, 'resumed node-1', { op: 'get', key: 'k' }, at);
    expect(put.outcome).toBe('info');
    expect(get.outcome).toBe('fail');
    for (const r of [put, get]) {
      expect(r.error).toBe('Error: context deadline exceeded (exit code 1)');
      expect(r.attempts.map((a) => a.status)).toEqual(['DEADLINE_EXCEEDED']);
      expect(r.attempts[0]!.error).toMatch(/^rpc error: code = DeadlineExceeded desc = context deadline exceeded /);
      expect(r.ms).toBeGreaterThanOrEqual(1000);
      expect(r.ms).toBeLessThan(4000);
    }
    expect(after.outcome).toBe('ok');
  } finally {
    await ctl.close();
  }
});

test('etcdctl given all three members with node-1 killed: every operation succeeds, failing over silently', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const all = ['node-1', 'node-2', 'node-3'].map((n) => cluster.endpoint(n));
  await cluster.kill('node-1');
  await cluster.leader(5000);
  const ctl = etcdctl({ logFile: path.join(run.dir, 'etcdctl.log') });
  try {
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await measured(run, ctl, 'all, node-1 killed', { op: 'put', key: 'k', value: `v${i}` }, all));
      results.push(await measured(run, ctl, 'all, node-1 killed', { op: 'get', key: 'k' }, all));
    }
    results.push(await measured(run, ctl, 'all, node-1 killed', { op: 'delete', key: 'k' }, all));
    for (const r of results) {
      expect(r.outcome, r.error).toBe('ok');
      // No retry line: the failover happens inside grpc-go's balancer, invisible in the log.
      expect(r.attempts).toEqual([expect.objectContaining({ status: 'OK', endpoint: all.map((e) => `${e.node}@${e.address}`).join(',') })]);
    }
    expect(results.filter((_, i) => i % 2 === 1 && i < 6).map((r) => r.value)).toEqual(['v0', 'v1', 'v2']);
  } finally {
    await ctl.close();
  }
});
