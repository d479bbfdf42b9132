// Seed scenario 4: clients reconnect after a service restart — one test per failure method. The subject is
// each column's own client under test (its "clients" configuration); Faultline's client only observes:
// a concurrent workload, and reading back what was written.
import { scenario, type ScenarioContext } from '../faultline.ts';

const matrix = { chainfire: 'TEST', flaredb: 'TEST', plasmavmc: 'DOC-GAP', iam: 'DOC-GAP', etcd: 'TEST' } as const;
const reasons = {
  plasmavmc: 'No retry/reconnection: VM operations fail silently on a network blip (seed gap). Confirmed only when its own client fails for connectivity and makes no retry.',
  iam: 'No retry mechanism: a manual reconnect is required (seed gap). Confirmed only when its own client fails for connectivity and makes no retry.',
};
const goal = 'Verify clients reconnect after service restart (T040.S4 scenario 4).';

/**
 * The column's client under test writes, the node it talks to is faulted while the observer's workload
 * runs, it writes again in the background, the node heals; then its outcome and its retries are held
 * against its own claims, and the observer reads back the data and checks the whole history.
 */
function restartRecovery(fault: (ctx: ScenarioContext) => void, heal: (ctx: ScenarioContext) => void) {
  return (ctx: ScenarioContext) => {
    const { cluster, client, expect } = ctx;
    cluster.start({ nodes: 3 });
    const subject = client.to(cluster.node(1)).underTest();
    subject.put('s4/before', 'v1');
    cluster.workload({ clients: 3, rate: 30, keys: 4, for: '4s' });
    fault(ctx);
    const during = subject.put('s4/during', 'v2').background();
    heal(ctx);
    expect(during).toSucceed();
    expect(during).toRetryAsClientClaims();
    subject.put('s4/after', 'v3');
    expect(client).toRead('s4/before', 'v1');
    expect(client).toRead('s4/during', 'v2');
    expect(cluster).toHaveNoDataLoss();
    expect(cluster).toBeConsistent();
  };
}

// The node stays down for a second, as a restarting service does, so the client must reconnect.
scenario('S4', 'Service restart recovery', { matrix, reasons, goal, variant: 'SIGTERM + start' }, restartRecovery(
  ({ cluster }) => cluster.node(1).term(),
  ({ cluster, wait }) => {
    wait('1s');
    cluster.node(1).start();
  },
));

scenario('S4', 'Service restart recovery', { matrix, reasons, goal, variant: 'kill -9 + start' }, restartRecovery(
  ({ cluster }) => cluster.node(1).kill(),
  ({ cluster, wait }) => {
    wait('1s');
    cluster.node(1).start();
  },
));

// A frozen node keeps its sockets open: the client's request hangs until SIGCONT or its own deadline.
scenario('S4', 'Service restart recovery', { matrix, reasons, goal, variant: 'SIGSTOP/SIGCONT freeze' }, restartRecovery(
  ({ cluster }) => cluster.node(1).pause(),
  ({ cluster, wait }) => {
    wait('3s');
    cluster.node(1).resume();
  },
));

// etcdctl given every member: when a follower dies it fails over silently (measured: no retry line in its
// log). When the leader dies instead, a write sent before the election ends fails at etcdctl's command
// timeout — measured, and why this variant kills a follower. etcdctl speaks etcd's API only.
const etcdctlRow = { chainfire: 'n/a', flaredb: 'n/a', plasmavmc: 'n/a', iam: 'n/a', etcd: 'TEST' } as const;
scenario('S4', 'Service restart recovery', { matrix: etcdctlRow, goal, variant: 'kill -9 + start, etcdctl on every member' }, ({ cluster, client, expect, wait }) => {
  cluster.start({ nodes: 3 });
  const ctl = client.using('etcdctl');
  ctl.put('s4/ctl', 'v1');
  const victim = cluster.follower();
  victim.kill();
  const during = ctl.put('s4/ctl', 'v2');
  expect(during).toSucceed();
  expect(during).toRetryAsClientClaims();
  wait('1s');
  victim.start();
  expect(client).toRead('s4/ctl', 'v2');
  expect(cluster).toHaveNoDataLoss();
  expect(cluster).toBeConsistent();
});
