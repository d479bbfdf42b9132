// Shared by the clients-under-test specs: a 3-member etcd cluster, one timed operation, a printed measurement.
import { expect } from '@playwright/test';
import { execa } from 'execa';
import type { StartedCluster } from '../../runner/cluster.ts';
import type { RunFactory } from '../../runner/fixture.ts';
import type { Run } from '../../runner/run.ts';
import type { Endpoint, KvOperation, SelfRetryingClient, WholeOperationResult } from '../../runner/contract/service.ts';
import { etcdService } from '../../services/etcd/definition.ts';

/** A 3-member etcd cluster with a leader. */
export async function clientsCluster(faultline: RunFactory): Promise<{ run: Run; cluster: StartedCluster }> {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3 });
  await cluster.leader(5000);
  return { run, cluster };
}

/** One operation, timed on the run's clock and printed as a measurement line. */
export async function measured(run: Run, client: SelfRetryingClient, what: string, op: KvOperation, endpoints: Endpoint[]): Promise<WholeOperationResult & { ms: number }> {
  const start = run.clock.now();
  const r = await client.run(op, endpoints, run.clock);
  const ms = Math.round(run.clock.now() - start);
  const tries = r.attempts.map((a) => `${a.status}@${a.endpoint.includes(',') ? 'all' : a.endpoint.split('@')[0]}(${Math.round(a.end - a.start)}ms)`).join(' ');
  console.log(`[clients measurement] ${client.name} ${what}: ${op.op} → ${r.outcome} in ${ms} ms, ${r.attempts.length} attempt(s) [${tries}]${r.error ? `; error: ${r.error.split('\n')[0]}` : ''}`);
  return { ...r, ms };
}

/** etcdctl processes that are children of this worker (the only ones our clients start). */
export async function ourEtcdctlProcesses(): Promise<string[]> {
  const r = await execa('pgrep', ['-a', '-P', String(process.pid), '-x', 'etcdctl'], { reject: false });
  return String(r.stdout).split('\n').filter(Boolean);
}

/** put, get, delete and get of the now absent key on a healthy member: each ok in one try, values as written. */
export async function healthyRoundTrip(run: Run, client: SelfRetryingClient, at: Endpoint[], key: string): Promise<void> {
  const put = await measured(run, client, 'healthy node-1', { op: 'put', key, value: 'v 1' }, at);
  const get = await measured(run, client, 'healthy node-1', { op: 'get', key }, at);
  const del = await measured(run, client, 'healthy node-1', { op: 'delete', key }, at);
  const gone = await measured(run, client, 'healthy node-1', { op: 'get', key }, at);
  for (const r of [put, get, del, gone]) {
    expect(r.outcome, r.error).toBe('ok');
    // One try each: a command client logs none on success, a driver reports the one it made.
    expect(r.attempts).toEqual([expect.objectContaining({ n: 1, status: 'OK', endpoint: `${at[0]!.node}@${at[0]!.address}` })]);
  }
  expect(get.value).toBe('v 1');
  expect(gone.value).toBeNull();
}
