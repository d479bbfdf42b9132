// node.loss() on real etcd: the statistic rules really drop the node's packets (iptables' own counters say
// so), writes through the lossy node still commit, and restore() removes exactly its rules and records what they
// dropped and what the members' own TCP retransmitted.
import { execa } from 'execa';
import { expect } from '@playwright/test';
import { test } from '../../../runner/fixture.ts';
import { SEED_POLICY } from '../../../dsl/policy.ts';
import { firewallCapability } from '../../../runner/firewall/index.ts';
import { faultNamed } from '../../../runner/faults/index.ts';
import { etcdService } from '../../../services/etcd/definition.ts';

/** This run's loss rules with their packet counters, from `iptables -nvxL` of its OUTPUT-path chain. */
async function lossRules(): Promise<Array<{ packets: number; line: string }>> {
  const chains = (await execa('iptables', ['-w', '-S'])).stdout.split('\n').filter((l) => l.startsWith(`-N FAULTLINE-${process.pid}-`) && l.endsWith('-out')).map((l) => l.slice(3));
  const lines = await Promise.all(chains.map(async (c) => (await execa('iptables', ['-w', '-nvxL', c])).stdout.split('\n').slice(2)));
  return lines.flat().filter((l) => l.includes('statistic')).map((line) => ({ packets: Number(line.trim().split(/\s+/)[0]), line }));
}

test('loss("30%") drops a share of the node\'s packets both ways, writes through it still commit, restore() lifts it', async ({ faultline }) => {
  test.skip(!firewallCapability().usable, firewallCapability().reason ?? '');
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3, perNodeUsers: true });
  const loss = faultNamed<{ probability: number; percent: string }>('loss');
  const restore = faultNamed<void>('restore');
  const target = { node: 'node-1', label: 'node-1' };
  const title = run.faults.title(loss, target, { probability: 0.3, percent: '30%' }, 'loss');
  expect(title).toContain(`--probability 0.3, uid ${cluster.nodeSpec('node-1').user!.uid}`);
  await run.faults.apply(loss, target, { probability: 0.3, percent: '30%' }, title);

  const rules = await lossRules();
  // One rule for what the node sends (its uid), one per listening port for what is sent to it.
  expect(rules.map((r) => r.line)).toEqual([
    expect.stringMatching(new RegExp(`owner UID match ${cluster.nodeSpec('node-1').user!.uid} statistic mode random probability 0\\.(3|29999)`)),
    ...Object.values(cluster.nodeSpec('node-1').ports).map((p) => expect.stringMatching(new RegExp(`tcp dpt:${p} statistic mode random probability 0\\.(3|29999)`))),
  ]);
  const policy = { ...SEED_POLICY, retries: 5, attemptTimeoutMs: 3000 };
  const results = [];
  for (let i = 0; i < 20; i++) results.push(await run.execute({ op: 'put', key: `loss/${i}`, value: `v${i}` }, 'test', [cluster.endpoint('node-1')], policy));
  expect(results.map((r) => r.outcome)).toEqual(results.map(() => 'ok'));
  const dropped = await lossRules();
  // Both directions really lost packets: the node's own sends and the traffic to its ports.
  expect(dropped[0]!.packets).toBeGreaterThan(0);
  expect(dropped.slice(1).reduce((n, r) => n + r.packets, 0)).toBeGreaterThan(0);

  const [ended] = await run.faults.apply(restore, target, undefined, 'restore node-1');
  expect(await lossRules()).toEqual([]);
  // What restore() recorded is the kernel's: at least what the rules had dropped a moment before, out of what they saw.
  const effect = ended!.effect!;
  expect(effect).toMatchObject({ kind: 'loss', node: 'node-1', percent: '30%' });
  expect(effect.sent.dropped).toBeGreaterThanOrEqual(dropped[0]!.packets);
  expect(effect.received.dropped).toBeGreaterThanOrEqual(dropped.slice(1).reduce((n, r) => n + r.packets, 0));
  for (const way of [effect.sent, effect.received]) {
    expect(way.packets).toBeGreaterThan(way.dropped);
    // 30 % of a few hundred packets: far from 0 % and from 100 %.
    expect(way.dropped / way.packets).toBeGreaterThan(0.1);
    expect(way.dropped / way.packets).toBeLessThan(0.5);
  }
  // Every member's own TCP, the lossy node first; node-1 answered 20 puts through the loss, so its TCP retransmitted.
  expect(effect.retransmitted.map((r) => r.node)).toEqual(['node-1', 'node-2', 'node-3']);
  expect(effect.retransmitted[0]!.segments).toBeGreaterThan(0);
  expect(effect.retransmitted.every((r) => r.sockets > 0)).toBe(true);
  const records = run.events.events.flatMap((e) => (e.kind === 'fault.start' || e.kind === 'fault.end' ? [e] : []));
  expect(records.map((e) => [e.kind, e.fault, e.id, e.nodes])).toEqual([
    ['fault.start', 'loss', 1, ['node-1']],
    ['fault.end', 'loss', 1, ['node-1']],
  ]);
  expect(records[0]).toMatchObject({ holds: true, lane: 'degraded', backend: 'iptables' });
  expect(records[1]).toMatchObject({ healedBy: 'restore', effect });
  await expect(run.faults.apply(restore, target, undefined, 'restore node-1')).rejects.toThrow('Cannot restore node-1: no fault that restore() ends is in force on it.');
});
