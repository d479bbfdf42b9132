// The peer-link measurement is real: two etcd clusters that differ only in --heartbeat-interval
// (100 ms vs 500 ms) show, in the same run, measurably different traffic on the leader's links.
import { test } from '../../../runner/fixture.ts';
import { expect } from '@playwright/test';
import { etcdService } from '../../../services/etcd/definition.ts';
import type { Run } from '../../../runner/run.ts';

const WINDOW_MS = 3000;

/** Bytes per second the leader sent each follower on its message stream (raft heartbeats go there; appends use msgapp). */
async function leaderBytesPerSecond(run: Run): Promise<{ leader: string; perFollower: Record<string, number> }> {
  const cluster = run.cluster;
  const leader = (await cluster.leader(10_000))!;
  const followers = cluster.names.filter((n) => n !== leader);
  const sent = async () => {
    await run.network.syncLinks();
    return Object.fromEntries(followers.map((f) => [f, run.network.link(f, leader).records.connections.filter((c) => c.request?.includes('/raft/stream/message/')).reduce((n, c) => n + c.bytesToClient, 0)]));
  };
  const before = await sent();
  const t0 = run.clock.now();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const after = await sent();
  const seconds = (run.clock.now() - t0) / 1000;
  return { leader, perFollower: Object.fromEntries(followers.map((f) => [f, (after[f]! - before[f]!) / seconds])) };
}

test('heartbeat 100 ms vs 500 ms: the leader sends measurably more on its peer links', async ({ faultline }) => {
  test.skip(process.getuid?.() !== 0, 'peer links tell members apart by uid: needs root');
  const fast = faultline.open(etcdService());
  const slow = faultline.open(etcdService());
  await fast.startCluster({ nodes: 3, heartbeatMs: 100, electionMs: 1000, peerLinks: true });
  await slow.startCluster({ nodes: 3, heartbeatMs: 500, electionMs: 5000, peerLinks: true });
  // Both windows at once, so the machine's load falls on both alike.
  const [f, s] = await Promise.all([leaderBytesPerSecond(fast), leaderBytesPerSecond(slow)]);
  const mean = (r: { perFollower: Record<string, number> }) => Object.values(r.perFollower).reduce((a, b) => a + b, 0) / Object.values(r.perFollower).length;
  const ratio = mean(f) / mean(s);
  const figures = `heartbeat 100ms: leader ${f.leader} sent ${mean(f).toFixed(0)} B/s per follower on its message stream; heartbeat 500ms: leader ${s.leader} sent ${mean(s).toFixed(0)} B/s; ratio ${ratio.toFixed(2)}× (over ${WINDOW_MS / 1000}s)`;
  console.log(figures);
  await test.info().attach('heartbeat-links.txt', { body: `${figures}\n${JSON.stringify({ fast: f, slow: s }, null, 2)}\n`, contentType: 'text/plain' });
  // 5× the heartbeats; rafthttp's own link heartbeat (every ConnReadTimeout/3) is the same in both, so a little less than 5× (measured 4.05×).
  expect(ratio, figures).toBeGreaterThan(3);
});
