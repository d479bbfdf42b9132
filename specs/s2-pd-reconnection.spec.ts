// Seed scenario 2: a server that depends on the cluster reconnects after the cluster's leader is
// killed. FlareDB (with ChainFire as PD) where configured; on etcd the dependent server is a real
// `etcd grpc-proxy` in front of the cluster.
import { scenario } from '../faultline.ts';

scenario('S2', 'PD reconnection', {
  matrix: { chainfire: 'n/a', flaredb: 'TEST', plasmavmc: 'n/a', iam: 'n/a', etcd: 'TEST' },
  goal: 'Verify a dependent server reconnects to its cluster after the leader is killed (T040.S4 scenario 2).',
}, ({ cluster, client, expect }) => {
  cluster.start({ nodes: 3 });
  const proxy = cluster.dependent('grpc-proxy');
  const c = client.to(proxy);
  c.put('s2/before', 'v1');
  cluster.workload({ clients: 2, rate: 10, keys: 2, via: [proxy], for: '8s' });
  const leader = cluster.leader();
  leader.kill();
  const after = c.put('s2/after', 'v2');
  expect(after).toSucceed();
  // Measured: the proxy's clients recover after one timed-out request (grpc-proxy keeps retrying the
  // dead member in the background, once a second, as its log shows).
  expect(after).toRetry({ min: 0, max: 1 });
  expect(proxy.log).toContain(/Channel Connectivity change to (TRANSIENT_FAILURE|CONNECTING)|Subchannel Connectivity change/, { within: '20s' });
  // Black-box: grpc-proxy points at a fault proxy per member, so its reconnects to the dead leader
  // are seen from the outside. Measured: grpc-go's backoff (1 s, ×1.6, ±20 % jitter).
  expect(proxy.linkTo(leader)).toSeeRetries({ min: 2 }, { initial: '1s', multiplier: 1.6, tolerance: 0.3, within: '8s' });
  expect(c).toRead('s2/before', 'v1');
  expect(cluster).toHaveLeader({ within: '10s' });
  expect(cluster).toHaveNoDataLoss();
  expect(cluster).toBeConsistent();
});
