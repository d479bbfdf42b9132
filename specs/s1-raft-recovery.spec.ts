// Seed scenario 1: block traffic to the leader with the seed's iptables rule; the service's own client
// under test retries as it claims; unblock; the operation completes, or fails with a clear error.
import { scenario } from '../faultline.ts';

const matrix = { chainfire: 'TEST', flaredb: 'n/a', plasmavmc: 'n/a', iam: 'n/a', etcd: 'TEST' } as const;
const goal = 'Verify Raft RPC retry logic works under network failures (T040.S4 scenario 1).';

// Measured on etcd 3.4: dropping the leader's inbound ports also deposes it (its followers' acks to
// its peer port are dropped), so the rest elect a new leader within about 1-3.5 s.
scenario('S1', 'Raft recovery', { matrix, goal, variant: 'unblock within the retry budget' }, ({ cluster, client, expect, wait }) => {
  cluster.start({ nodes: 3 });
  client.put('s1/k', 'v1');
  cluster.workload({ clients: 3, rate: 20, keys: 3, for: '7s' });
  const leader = cluster.leader();
  leader.block();
  // The client is given every member, as an application is: measured with etcdctl, a client pinned to
  // the blocked leader alone fails at its 5 s command timeout even when the block ends after 3 s.
  const c = client.underTest();
  const w = c.put('s1/k', 'v2').background();
  wait('3s');
  leader.unblock();
  // No server-to-server retry is judged here, because a 3 s block gives etcd none to make: measured (CI
  // run, node logs), the followers' streams to the blocked leader stay open through the block, TCP
  // carries them on after unblock, and no "dial stream reader" line appears until teardown. rafthttp
  // redials only when a stream's 5 s read timeout fires; the two variants below judge those redials.
  expect(w).toSucceed();
  expect(w).toRetryAsClientClaims();
  expect(cluster).toHaveLeader({ within: '10s' });
  expect(cluster).toHaveNoDataLoss();
  expect(cluster).toBeConsistent();
});

scenario('S1', 'Raft recovery', { matrix, goal, variant: 'block outlasts the retry budget' }, ({ cluster, client, expect, wait }) => {
  cluster.start({ nodes: 3 });
  client.put('s1/k', 'v1');
  const leader = cluster.leader();
  leader.block();
  const c = client.to(leader).underTest();
  const w = c.put('s1/k', 'v2');
  expect(w).toFail({ message: /DEADLINE_EXCEEDED|deadline exceeded/i });
  expect(w).toRetryAsClientClaims();
  // The block outlasts rafthttp's 5 s stream read timeout by a margin, so the followers' redials (the
  // seed's Raft RPC retries) fall inside it, not in a race with unblock().
  wait('2s');
  leader.unblock();
  expect(leader.peerLinks().incoming()).toRetryAsClaimed({ within: '8s', view: 'log', atLeast: 1 });
  expect(cluster).toHaveLeader({ within: '10s' });
  expect(cluster).toHaveNoDataLoss();
  expect(cluster).toBeConsistent();
});

// The seed's goal is the servers' own Raft RPC retries: the followers' dials to the leader go through
// a gate per directed peer link (docs/peer-links.md); cutting them one way, the other servers' redials
// are judged at the gate and in their own logs against what the service claims (etcd: rafthttp's
// DialRetryFrequency, 100 ms per stream). Faultline's client only checks the outcome.
scenario('S1', 'Raft recovery', { matrix, goal, variant: 'peer links into the leader cut one way' }, ({ cluster, client, expect, wait }) => {
  cluster.start({ nodes: 3 });
  client.put('s1/k', 'v1');
  cluster.workload({ clients: 2, rate: 10, keys: 3, for: '4s' });
  const leader = cluster.leader();
  leader.peerLinks().incoming().cut();
  const w = client.put('s1/k', 'v2').background();
  expect(leader.peerLinks().incoming()).toRetryAsClaimed({ within: '3s' });
  wait('500ms');
  leader.peerLinks().incoming().heal();
  expect(w).toSucceed();
  expect(cluster).toHaveLeader({ within: '10s' });
  expect(client).toRead('s1/k', 'v2');
  expect(cluster).toHaveNoDataLoss();
  expect(cluster).toBeConsistent();
});
