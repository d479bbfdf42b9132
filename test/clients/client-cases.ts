// Shared by the clients-under-test specs: a 3-member etcd cluster, one timed operation, a printed measurement.
import { execa } from 'execa';
import type { StartedCluster } from '../../runner/cluster.ts';
import type { RunFactory } from '../../runner/fixture.ts';
import type { Run } from '../../runner/run.ts';
import type { Endpoint, KvOperation, SelfRetryingClient, WholeOperationResult } from '../../runner/service.ts';
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
