// The run's network faults on real etcd: the seed's block through iptables, and the fault-proxy
// fallback for machines where the firewall is not usable.
import { execa } from 'execa';
import { expect } from '@playwright/test';
import { test } from '../../runner/fixture.ts';
import { SEED_POLICY } from '../../dsl/policy.ts';
import { firewallCapability } from '../../runner/firewall/index.ts';
import { etcdService } from '../../services/etcd/definition.ts';
import type { BlockBackend } from '../../dsl/plan.ts';
import { faultNamed } from '../../runner/faults/index.ts';
import type { Run } from '../../runner/run.ts';

/** The plan's block() and unblock() steps, through the fault registry as the runner runs them. */
const block = (run: Run, node: string, via: BlockBackend) => run.faults.apply(faultNamed<{ via: BlockBackend }>('block'), { node, label: node }, { via }, `block ${node}`);
const unblock = (run: Run, node: string) => run.faults.apply(faultNamed<void>('unblock'), { node, label: node }, undefined, `unblock ${node}`);

const quick = { ...SEED_POLICY, retries: 0, attemptTimeoutMs: 700 };

test('block via the fault proxy: the client link hangs, unblock restores it; link records show the attempts', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3, proxyClientLinks: true });
  const [endpoint] = await run.endpoints({ id: 1, name: 'client', endpoints: [{ kind: 'index', index: 1, ref: 1 }], policy: quick });
  expect(endpoint!.address).not.toBe(cluster.endpoint('node-1').address); // clients go through the proxy
  expect((await run.execute({ op: 'put', key: 'k', value: 'v1' }, 'client', [endpoint!], quick)).outcome).toBe('ok');
  await block(run, 'node-1', 'proxy');
  const blocked = await run.execute({ op: 'put', key: 'k', value: 'v2' }, 'client', [endpoint!], quick);
  expect(blocked.attempts.map((a) => a.status)).toEqual(['DEADLINE_EXCEEDED']);
  expect(blocked.outcome).toBe('info');
  await unblock(run, 'node-1');
  expect((await run.execute({ op: 'get', key: 'k' }, 'client', [endpoint!], { ...quick, retries: 2 })).outcome).toBe('ok');
  const records = (await run.network.linkRecords()) as Record<string, { connections: unknown[] }>;
  expect(records['client→node-1']!.connections.length).toBeGreaterThanOrEqual(2);
  expect(run.events.events.flatMap((e) => (e.kind === 'fault.start' || e.kind === 'fault.end' ? [`${e.kind} ${e.detail}`] : []))).toEqual(['fault.start block node-1 (proxy blackhole)', 'fault.end unblock node-1']);
});

test('block via iptables puts the seed rule in the run\'s own chain and removes it on unblock and close', async ({ faultline }) => {
  test.skip(!firewallCapability().usable, firewallCapability().reason ?? '');
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3 });
  const ports = Object.values(cluster.nodeSpec('node-2').ports);
  const rules = async () => (await execa('iptables', ['-w', '-S'])).stdout.split('\n').filter((l) => ports.some((p) => l.includes(`--dport ${p} -j DROP`)));
  await block(run, 'node-2', 'iptables');
  const during = (await execa('iptables', ['-w', '-S'])).stdout;
  for (const p of ports) expect(during).toMatch(new RegExp(`-A FAULTLINE-${process.pid}-\\w+-in -p tcp -m tcp --dport ${p} -j DROP`));
  const r = await run.execute({ op: 'get', key: 'k' }, 'client', [cluster.endpoint('node-2')], quick);
  expect(r.attempts[0]!.status).toBe('DEADLINE_EXCEEDED');
  await unblock(run, 'node-2');
  expect(await rules()).toEqual([]);
  await run.network.close();
  expect((await execa('iptables', ['-w', '-S'])).stdout).not.toContain(`FAULTLINE-${process.pid}-`);
});
