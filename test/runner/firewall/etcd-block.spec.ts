// Experiment on real etcd: the seed's port block (inbound --dport DROP) on the leader's client and peer ports.
// What happens over ~3 s is measured and printed for the lead; only what was stable across runs is asserted.
// NOTES-deps.md expected the leader to survive (its outgoing connections keep working); measured, it does not.
import { expect } from '@playwright/test';
import { test } from '../../../runner/fixture.ts';
import { Firewall, firewallCapability } from '../../../runner/firewall/index.ts';
import type { StartedCluster } from '../../../runner/cluster.ts';
import { etcdService } from '../../../services/etcd/definition.ts';
import { call, etcdStubs } from '../../../services/etcd/grpc.ts';
import { sleep } from './helpers.ts';

const capability = firewallCapability();
const BLOCK_MS = 3000;

/** One node's view at one instant: whom it calls leader, at which term; undefined when it did not answer in time. */
type View = { leader: string; term: number } | undefined;

async function status(cluster: StartedCluster, name: string, timeoutMs = 300) {
  const stubs = etcdStubs(cluster.endpoint(name).address);
  try {
    return await call<{ header: { member_id: string }; leader: string; raftTerm: string }>(stubs.maintenance, 'Status', {}, timeoutMs);
  } catch {
    return undefined;
  } finally {
    stubs.close();
  }
}

async function put(cluster: StartedCluster, name: string, key: string, timeoutMs = 1000): Promise<string> {
  const stubs = etcdStubs(cluster.endpoint(name).address);
  const started = performance.now();
  try {
    await call(stubs.kv, 'Put', { key: Buffer.from(key), value: Buffer.from('v') }, timeoutMs);
    return `ok in ${Math.round(performance.now() - started)} ms`;
  } catch (e) {
    return `failed after ${Math.round(performance.now() - started)} ms: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    stubs.close();
  }
}

/** Role changes a node logged since `t0`, with their offset from t0 in ms. */
function roleChanges(cluster: StartedCluster, name: string, t0: number): { t: number; msg: string }[] {
  const role = /became (leader|follower|candidate|pre-candidate)|elected leader|lost leader|starting a new election/;
  return cluster.process(name)!.lines.filter((l) => l.t >= t0 && role.test(l.line)).map((l) => ({ t: Math.round(l.t - t0), msg: String(JSON.parse(l.line).msg) }));
}

test("etcd: the seed's inbound block on the leader's client and peer ports deposes it within seconds", async ({ faultline }) => {
  test.skip(!capability.usable, capability.reason);
  const service = etcdService();
  test.skip(service.unavailable() !== undefined, service.unavailable());
  test.setTimeout(90_000);
  const run = faultline.open(service);
  const cluster = await run.startCluster({ nodes: 3 });
  const leader = await cluster.leader(5000);
  expect(leader).toBeDefined();
  const names = new Map<string, string>();
  for (const n of cluster.names) names.set((await status(cluster, n, 1000))!.header.member_id, n);
  const followers = cluster.names.filter((n) => n !== leader);
  const view = async (n: string): Promise<View> => {
    const s = await status(cluster, n);
    return s && { leader: names.get(s.leader) ?? (s.leader === '0' ? 'none' : s.leader), term: Number(s.raftTerm) };
  };
  const termBefore = (await view(followers[0]!))!.term;
  const newLeaderLogged = (t0: number) => followers.some((f) => roleChanges(cluster, f, t0).some((c) => /became leader/.test(c.msg)));

  const fw = await Firewall.create({ runId: test.info().testId, events: run.events });
  try {
    const { client, peer } = cluster.nodeSpec(leader!).ports;
    const t0 = run.clock.now();
    await fw.blockInbound(leader!, [client!, peer!]);
    const rules = await fw.rules();
    const puts: Promise<string>[] = [];
    const samples: { t: number; views: Record<string, View> }[] = [];
    while (run.clock.now() - t0 < BLOCK_MS) {
      const t = Math.round(run.clock.now() - t0);
      if (puts.length < 2 && t >= (puts.length ? 2000 : 500)) puts.push(put(cluster, followers[0]!, `k${puts.length}`));
      const views = Object.fromEntries(await Promise.all(cluster.names.map(async (n) => [n, await view(n)] as const)));
      samples.push({ t, views });
      await sleep(250);
    }
    const writes = await Promise.all(puts);
    // Still blocked: give a slow election (a split vote, a loaded machine) up to 8 s in all before judging.
    while (!newLeaderLogged(t0) && run.clock.now() - t0 < 8000) await sleep(100);
    const blockedMs = Math.round(run.clock.now() - t0);
    const roles = Object.fromEntries(cluster.names.map((n) => [n, roleChanges(cluster, n, t0)]));
    await fw.unblockInbound(leader!);
    const leaderAfter = await cluster.leader(10_000);
    const termAfter = (await view(leaderAfter ?? followers[0]!))?.term;

    const measured = { leader, followers, termBefore, rules, blockedMs, samples, writesViaFollower: writes, roleChanges: roles, leaderAfterUnblock: leaderAfter, termAfter };
    console.log(`etcd-block measurements:\n${JSON.stringify(measured, null, 1)}`);
    await test.info().attach('etcd-block-measurements.json', { body: JSON.stringify(measured, null, 2), contentType: 'application/json' });

    // Measured (6 runs, default 100 ms heartbeat / 1000 ms election): followers start an election 1.2-2.9 s after
    // the block, one of them wins, the old leader logs "became follower". Likely why: etcd's leader-to-follower
    // messages travel on stream connections the followers dialed to the leader's peer port, so the followers' ACKs
    // are dropped and those streams stall; only the leader's own outgoing connections keep working.
    for (const s of samples) expect(s.views[leader!]).toBeUndefined();
    expect(roles[leader!]!.some((c) => /became follower/.test(c.msg))).toBe(true);
    expect(newLeaderLogged(t0)).toBe(true);
    expect(followers).toContain(leaderAfter);
    expect(termAfter).toBeGreaterThan(termBefore);
  } finally {
    await fw.close();
  }
});
