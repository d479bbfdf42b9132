// Every contact with a node is checked to be OUR node: an answer from another cluster (another run's
// etcd on a port we meant for ours) is an error naming both, never an OK.
import { test } from '../../runner/fixture.ts';
import { expect } from '@playwright/test';
import { etcdService } from '../../services/etcd/definition.ts';
import { call, etcdStubs } from '../../services/etcd/grpc.ts';
import { etcdIdentity } from '../../services/etcd/identity.ts';
import { ForeignNodeError, NodeProcessError } from '../../runner/process/process-errors.ts';
import { Run } from '../../runner/run.ts';
import type { PortAllocator } from '../../runner/ports.ts';
import type { NodeIdentity } from '../../runner/contract/service.ts';

test('the ids computed from our token and ports are the ones etcd states; an answer as another cluster is refused everywhere', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3 });
  for (const n of cluster.spec.nodes) {
    const stubs = etcdStubs(`127.0.0.1:${n.ports.client}`);
    const s = await call<{ header: { cluster_id: string; member_id: string } }>(stubs.maintenance, 'Status', {}, 10_000).finally(() => stubs.close());
    expect({ cluster: BigInt(s.header.cluster_id).toString(16), member: BigInt(s.header.member_id).toString(16) }).toEqual(etcdIdentity(n, cluster.spec));
  }
  // What an answer looks like to a run whose cluster has the same ports but another token.
  const other = { ...cluster.spec, token: `${cluster.spec.token}-other` };
  const node = cluster.spec.nodes[0]!;
  const pid = cluster.process(node.name)!.pid;
  // Faultline's own client (the observer) as etcd's configuration builds it.
  const client = etcdService().createClient();
  try {
    let from: NodeIdentity | undefined;
    await client.attempt({ op: 'put', key: 'k', value: 'v' }, cluster.endpoint(node.name), 10_000, (who: NodeIdentity) => (from = who));
    expect(from).toEqual(etcdIdentity(node, cluster.spec));
    const foreign = await client.attempt({ op: 'get', key: 'k' }, { ...cluster.endpoint(node.name), identity: etcdIdentity(node, other) }, 10_000).catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(ForeignNodeError);
    expect(String(foreign)).toContain(`expected cluster ${etcdIdentity(node, other).cluster}`);
    expect(String(foreign)).toContain(`got cluster ${etcdIdentity(node, cluster.spec).cluster}`);
    expect(String(foreign)).toContain(`pid ${pid}: `);
  } finally {
    client.close();
  }
  // Deadlines with room for a loaded machine: a timeout would read as "no answer", not as foreign.
  const etcd = etcdService();
  await expect(etcd.findLeader(cluster.spec.nodes, other)).rejects.toBeInstanceOf(ForeignNodeError);
  await expect(etcd.probe(node, other)).rejects.toBeInstanceOf(ForeignNodeError);
  expect(await cluster.leader(10_000)).toBeDefined();
});

test("a node started on another run's ports fails its start at once, with its bind line and who holds the port", async ({ faultline }, testInfo) => {
  const first = faultline.open(etcdService());
  const held = await first.startCluster({ nodes: 1 });
  const holder = held.process('node-1')!.pid;
  // A named fixture: a port source that hands out ports another run holds, as an unlocked run would.
  const taken = Object.values(held.nodeSpec('node-1').ports);
  const unlocked = { allocate: async (n: number) => taken.splice(0, n) } as unknown as PortAllocator;
  const second = new Run(etcdService(), testInfo.outputPath('second'), unlocked);
  const started = performance.now();
  const e = await second.startCluster({ nodes: 1 }).then(() => undefined, (x: unknown) => x);
  const tookMs = performance.now() - started;
  await second.close();
  expect(e instanceof ForeignNodeError || e instanceof NodeProcessError, String(e)).toBe(true);
  expect(String(e)).toContain('address already in use');
  expect(String(e)).toContain(`pid ${holder}: `);
  testInfo.annotations.push({ type: 'failed after', description: `${Math.round(tookMs)} ms (readiness deadline 30 s)` });
  // The first run's node was never disturbed.
  expect(held.state('node-1')).toBe('running');
});
