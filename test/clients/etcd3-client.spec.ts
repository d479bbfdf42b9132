// The etcd3 npm client as a client under test on real members: its default retry and circuit breaker, observed.
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { etcd3Client } from '../../runner/clients/index.ts';
import { clientsCluster, measured } from './client-cases.ts';

test('etcd3: put, get, delete and get of an absent key, one try each', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const at = [cluster.endpoint('node-1')];
  const etcd3 = etcd3Client();
  try {
    const put = await measured(run, etcd3, 'healthy node-1', { op: 'put', key: 'k', value: 'v 1' }, at);
    const get = await measured(run, etcd3, 'healthy node-1', { op: 'get', key: 'k' }, at);
    const del = await measured(run, etcd3, 'healthy node-1', { op: 'delete', key: 'k' }, at);
    const gone = await measured(run, etcd3, 'healthy node-1', { op: 'get', key: 'k' }, at);
    for (const r of [put, get, del, gone]) {
      expect(r.outcome, r.error).toBe('ok');
      expect(r.attempts).toEqual([expect.objectContaining({ n: 1, status: 'OK', endpoint: `node-1@${at[0]!.address}` })]);
    }
    expect(get.value).toBe('v 1');
    expect(gone.value).toBeNull();
  } finally {
    await etcd3.close();
  }
});

test('etcd3 against its only member killed: 3 refused tries then its breaker opens; outcome fail; the next call is refused at once', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const at = [cluster.endpoint('node-1')];
  await cluster.kill('node-1');
  const etcd3 = etcd3Client({ callTimeoutMs: 1000 });
  try {
    const first = await measured(run, etcd3, 'killed node-1', { op: 'put', key: 'k', value: 'v' }, at);
    const second = await measured(run, etcd3, 'killed node-1, breaker open', { op: 'put', key: 'k', value: 'v' }, at);
    expect(first.outcome).toBe('fail');
    expect(first.error).toMatch(/^GRPCUnavailableError: 14 UNAVAILABLE: No connection established\. Last error: Error: connect ECONNREFUSED/);
    // The global retry makes 4 executions; the breaker (3 consecutive failures) refuses the 4th.
    expect(first.attempts.map((a) => a.status)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
    expect(first.attempts.slice(0, 3).every((a) => /ECONNREFUSED/.test(a.error ?? ''))).toBe(true);
    expect(first.attempts[3]!.error).toMatch(/^not sent: BrokenCircuitError: Execution prevented because the circuit breaker is open/);
    expect(first.ms).toBeLessThan(1000);
    expect(second.outcome).toBe('fail');
    expect(second.error).toMatch(/^BrokenCircuitError: /);
    expect(second.attempts).toHaveLength(1);
    expect(second.ms).toBeLessThan(100);
  } finally {
    await etcd3.close();
  }
});

test('etcd3 against a paused member it was connected to: the first try was sent, so a put is info', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const at = [cluster.endpoint('node-1')];
  const etcd3 = etcd3Client({ callTimeoutMs: 1000 });
  try {
    await measured(run, etcd3, 'healthy node-1 (warm-up)', { op: 'get', key: 'k' }, at);
    cluster.pause('node-1');
    const put = await measured(run, etcd3, 'paused node-1', { op: 'put', key: 'k', value: 'during-pause' }, at);
    cluster.resume('node-1');
    expect(put.outcome).toBe('info');
    // Measured: the first try times out on the live connection (remote_addr); the channel is then reset,
    // later tries wait for an LB pick that never comes, and the breaker opens after 3.
    expect(put.attempts[0]).toMatchObject({ status: 'DEADLINE_EXCEEDED', error: expect.stringMatching(/remote_addr=127\.0\.0\.1:\d+/) });
    expect(put.attempts.slice(1, 3).every((a) => /Waiting for LB pick/.test(a.error ?? ''))).toBe(true);
    expect(put.attempts).toHaveLength(4);
    expect(put.ms).toBeGreaterThanOrEqual(3000);
    expect(put.ms).toBeLessThan(5000);
  } finally {
    await etcd3.close();
  }
});

test('etcd3 given all three members with node-1 killed: every operation succeeds on another host', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const all = ['node-1', 'node-2', 'node-3'].map((n) => cluster.endpoint(n));
  await cluster.kill('node-1');
  await cluster.leader(5000);
  const etcd3 = etcd3Client();
  try {
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(await measured(run, etcd3, 'all, node-1 killed', { op: 'put', key: 'k', value: `v${i}` }, all));
      results.push(await measured(run, etcd3, 'all, node-1 killed', { op: 'get', key: 'k' }, all));
    }
    results.push(await measured(run, etcd3, 'all, node-1 killed', { op: 'delete', key: 'k' }, all));
    for (const r of results) {
      expect(r.outcome, r.error).toBe('ok');
      // A shuffled host per try: node-1 costs one refused try when it comes first (or none once its breaker is open).
      expect(r.attempts.at(-1)).toMatchObject({ status: 'OK', endpoint: expect.not.stringMatching(/^node-1@/) });
      expect(r.attempts.slice(0, -1).every((a) => a.endpoint.startsWith('node-1@') && a.status === 'UNAVAILABLE')).toBe(true);
    }
    expect(results.filter((_, i) => i % 2 === 1 && i < 8).map((r) => r.value)).toEqual(['v0', 'v1', 'v2', 'v3']);
  } finally {
    await etcd3.close();
  }
});
