// The etcd3 npm library through etcd's shipped driver (services/etcd/etcd3-driver.mjs), on real members:
// its default retry and circuit breaker, observed through the {attempt} lines its host policy prints.
import path from 'node:path';
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { clientsCluster, healthyRoundTrip, measured } from './client-cases.ts';
import { etcd3 } from './etcd-subjects.ts';

test('etcd3: put, get, delete and get of an absent key, one try each', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const at = [cluster.endpoint('node-1')];
  const client = etcd3({ clock: run.clock, logFile: path.join(run.dir, 'etcd3-driver.log') });
  try {
    await healthyRoundTrip(run, client, at, 'k');
  } finally {
    await client.close();
  }
});

test('etcd3 against its only member killed: 3 refused tries then its breaker opens; outcome fail; the next call is refused at once', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const at = [cluster.endpoint('node-1')];
  await cluster.kill('node-1');
  const client = etcd3({ clock: run.clock, env: { ETCD3_CALL_TIMEOUT_MS: '1000' }, logFile: path.join(run.dir, 'etcd3-driver.log') });
  try {
    const first = await measured(run, client, 'killed node-1', { op: 'put', key: 'k', value: 'v' }, at);
    const second = await measured(run, client, 'killed node-1, breaker open', { op: 'put', key: 'k', value: 'v' }, at);
    expect(first.outcome).toBe('fail');
    expect(first.error).toMatch(/^GRPCUnavailableError: 14 UNAVAILABLE: No connection established\. Last error: Error: connect ECONNREFUSED/);
    // The global retry makes 4 executions; the breaker (3 consecutive failures) refuses the 4th.
    expect(first.attempts.map((a) => a.status)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
    expect(first.attempts.slice(0, 3).every((a) => /ECONNREFUSED/.test(a.error ?? ''))).toBe(true);
    expect(first.attempts[3]!.error).toMatch(/^not sent: BrokenCircuitError: Execution prevented because the circuit breaker is open/);
    // No backoff between tries (the driver's own start-up is in the first one).
    expect(first.attempts[3]!.end - first.attempts[0]!.end).toBeLessThan(500);
    expect(second.outcome).toBe('fail');
    expect(second.error).toMatch(/^BrokenCircuitError: /);
    expect(second.attempts).toHaveLength(1);
    expect(second.ms).toBeLessThan(300);
  } finally {
    await client.close();
  }
});

test('etcd3 against a paused member it was connected to: the first try was sent, so a put is info', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const at = [cluster.endpoint('node-1')];
  const client = etcd3({ clock: run.clock, env: { ETCD3_CALL_TIMEOUT_MS: '1000' }, logFile: path.join(run.dir, 'etcd3-driver.log') });
  try {
    await measured(run, client, 'healthy node-1 (warm-up)', { op: 'get', key: 'k' }, at);
    cluster.pause('node-1');
    const put = await measured(run, client, 'paused node-1', { op: 'put', key: 'k', value: 'during-pause' }, at);
    cluster.resume('node-1');
    expect(put.outcome).toBe('info');
    // Measured: the first try times out on the live connection (remote_addr); later tries wait for an LB pick.
    expect(put.attempts[0]).toMatchObject({ status: 'DEADLINE_EXCEEDED', error: expect.stringMatching(/remote_addr=127\.0\.0\.1:\d+/) });
    expect(put.attempts).toHaveLength(4);
    expect(put.ms).toBeGreaterThanOrEqual(3000);
    expect(put.ms).toBeLessThan(5500);
  } finally {
    await client.close();
  }
});

test('etcd3 given all three members with node-1 killed: every operation succeeds on another host', async ({ faultline }) => {
  const { run, cluster } = await clientsCluster(faultline);
  const all = ['node-1', 'node-2', 'node-3'].map((n) => cluster.endpoint(n));
  await cluster.kill('node-1');
  await cluster.leader(5000);
  const client = etcd3({ clock: run.clock, logFile: path.join(run.dir, 'etcd3-driver.log') });
  try {
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(await measured(run, client, 'all, node-1 killed', { op: 'put', key: 'k', value: `v${i}` }, all));
      results.push(await measured(run, client, 'all, node-1 killed', { op: 'get', key: 'k' }, all));
    }
    for (const r of results) {
      expect(r.outcome, r.error).toBe('ok');
      // A shuffled host per try: node-1 costs one refused try when it comes first (or none once its breaker is open).
      expect(r.attempts.at(-1)).toMatchObject({ status: 'OK', endpoint: expect.not.stringMatching(/^node-1@/) });
      expect(r.attempts.slice(0, -1).every((a) => a.endpoint.startsWith('node-1@') && a.status === 'UNAVAILABLE')).toBe(true);
    }
    expect(results.filter((_, i) => i % 2 === 1).map((r) => r.value)).toEqual(['v0', 'v1', 'v2', 'v3']);
  } finally {
    await client.close();
  }
});
