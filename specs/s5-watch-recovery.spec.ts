// Seed scenario 5: a watch client receives events, the member it is connected to is killed; does the
// watch come back, and does it deliver every write, once and in order? The subject is the service's own
// watch client (its "clients" configuration); Faultline's own watch is an observer and decides no cell.
import { scenario, type ScenarioContext } from '../faultline.ts';

// Options stay literal (or consts of this file) so `faultline matrix` can read them without running.
const matrix = { chainfire: 'DOC-GAP', flaredb: 'DOC-GAP', plasmavmc: 'n/a', iam: 'n/a', etcd: 'TEST' } as const;
// The etcd3 library speaks etcd's API only: its variant is etcd's alone.
const etcd3Row = { chainfire: 'n/a', flaredb: 'n/a', plasmavmc: 'n/a', iam: 'n/a', etcd: 'TEST' } as const;
const reasons = {
  chainfire: "Watch breaks, no auto-reconnect (seed gap): judged on ChainFire's own configured watch client.",
  flaredb: "Watch breaks, no auto-reconnect (seed gap): judged on FlareDB's own configured watch client.",
};
const goal = 'Document watch stream behavior on connection loss (T040.S4 scenario 5).';
const recommendation = 'Watch streams: add an auto-reconnect wrapper that resumes from the last revision + 1 (seed Future Work 3).';

/** Watch through node-1 with the client under test, write through node-2 (the observer), kill and restart node-1. */
function watchRecovery(using: string, within: `${number}s`) {
  return ({ cluster, client, expect }: ScenarioContext) => {
    cluster.start({ nodes: 3 });
    const watched = cluster.node(1);
    const w = client.to(watched).using(using).watch('s5/');
    const writer = client.to(cluster.node(2));
    writer.put('s5/a', 'before-1');
    writer.put('s5/b', 'before-2');
    watched.kill();
    writer.put('s5/c', 'while-down');
    watched.start();
    writer.put('s5/d', 'after-restart');
    expect(w).toReceiveAll({ within });
  };
}

// The column's first configured watch client: on etcd, etcdctl watch (Go clientv3). Measured: it keeps
// running without a word on stderr and delivers the writes made while its member was down 0.4-0.9 s
// after the member is back: clientv3 resumes, so etcd has no gap here.
scenario('S5', 'Watch recovery', { matrix, reasons, variant: "the service's own watch client", goal, recommendation }, watchRecovery('*', '10s'));

// Measured: the etcd3 library (through etcd's driver) reconnects with exponential backoff (0.5-9 s after
// the member is back) and resumes from the last revision + 1: nothing lost, duplicated or reordered.
scenario('S5', 'Watch recovery', { matrix: etcd3Row, variant: 'etcd3 library watcher (driver)', goal, recommendation }, watchRecovery('etcd3', '20s'));
