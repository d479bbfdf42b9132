// Plan recording, step titles and validation: the DSL alone, no process involved.
import { test, expect } from '@playwright/test';
import { definePlan, type ScenarioContext } from '../../dsl/scenario.ts';
import type { Plan } from '../../dsl/plan.ts';

const TEST_ETCD = { matrix: { etcd: 'TEST' } } as const;

function plan(body: (ctx: ScenarioContext) => void, options: object = TEST_ETCD): Plan {
  return definePlan('S9', 'Example', options as never, body);
}

function messages(p: Plan): string[] {
  return p.problems.map((e) => e.message);
}

test('the body is recorded as steps with readable titles and spec locations', () => {
  const p = plan(({ cluster, client, expect, wait }) => {
    cluster.start({ nodes: 3 });
    client.put('k', 'v1');
    cluster.leader().kill();
    cluster.node(2).pause();
    const w = client.put('k', 'v2').background();
    wait('1.5s');
    cluster.node(2).resume();
    expect(w).toSucceed();
    expect(client).toRetry(3, { initial: '500ms', multiplier: 2 });
    expect(cluster).toHaveLeader({ within: '5s' });
  });
  expect(messages(p)).toEqual([]);
  expect(p.steps.map((s) => s.title)).toEqual([
    'start a cluster of 3 nodes',
    'put "k" = "v1"',
    'kill -9 the leader',
    'pause node-2 (SIGSTOP)',
    'put "k" = "v2" (in the background)',
    'wait 1.5s',
    'resume node-2 (SIGCONT)',
    'expect put "k" = "v2" to succeed',
    'expect put "k" = "v2" to retry 3 times (backoff 500ms × 2)',
    'expect the cluster to have a leader within 5s',
  ]);
  expect(p.steps[2]!.location?.file).toBe(test.info().file);
  expect(p.steps[2]!.location?.line).toBe(20); // the line of cluster.leader().kill() above
});

test('operations checked by an expectation may fail; unchecked ones must succeed', () => {
  const p = plan(({ cluster, client, expect }) => {
    cluster.start();
    const a = client.put('a', '1');
    client.put('b', '2');
    expect(a).toFail();
  });
  const ops = p.steps.filter((s) => s.kind === 'op');
  expect(ops.map((s) => s.kind === 'op' && s.checked)).toEqual([true, false]);
});

test('client.to() and withPolicy() make new clients without changing the default one', () => {
  const p = plan(({ cluster, client }) => {
    cluster.start();
    const pinned = client.to(cluster.node(1)).withPolicy({ retries: 5, initial: '100ms' });
    pinned.put('k', 'v');
    client.put('k', 'w');
  });
  const [a, b] = p.steps.filter((s) => s.kind === 'op');
  expect(a!.kind === 'op' && a!.op.client.policy.retries).toBe(5);
  expect(a!.kind === 'op' && a!.op.client.policy.initialMs).toBe(100);
  expect(a!.title).toBe('put "k" = "v" via client(node-1)');
  expect(b!.kind === 'op' && b!.op.client.policy.retries).toBe(3);
  expect(b!.kind === 'op' && b!.op.client.endpoints).toBe('all');
});

test('a workload records a background start and an explicit stop', () => {
  const p = plan(({ cluster }) => {
    cluster.start();
    const w = cluster.workload({ clients: 4, rate: 40, keys: 8, mix: { put: 3, get: 1 } });
    w.stop();
  });
  expect(messages(p)).toEqual([]);
  expect(p.steps.map((s) => s.title)).toEqual(['start a cluster of 3 nodes', 'start a workload: 4 clients, 40 ops/s over 8 keys until stopped (in the background)', 'stop the workload']);
  const start = p.steps[1]!;
  expect(start.kind === 'workload.start' && start.workload.mix).toEqual({ put: 0.75, get: 0.25, delete: 0 });
});

test('dependents, logs and watches record readable steps', () => {
  const p = plan(({ cluster, client, expect }) => {
    cluster.start();
    const proxy = cluster.dependent('grpc-proxy');
    const w = client.to(cluster.node(1)).watch('s5/', { using: 'etcdctl' });
    client.to(proxy).put('k', 'v');
    cluster.node(1).kill();
    expect(proxy.log).toContain(/Reconnected/, { within: '20s' });
    expect(w).toReceiveAll({ within: '10s' });
  });
  expect(messages(p)).toEqual([]);
  expect(p.steps.map((s) => s.title)).toEqual([
    'start a cluster of 3 nodes',
    'start grpc-proxy in front of the cluster',
    'watch "s5/" with etcdctl via client(node-1) (in the background)',
    'put "k" = "v" via client(grpc-proxy)',
    'kill -9 node-1',
    'expect the log of grpc-proxy to contain /Reconnected/ within 20s of the last fault',
    'expect the etcdctl watch on "s5/" to receive every acknowledged write in order within 10s',
  ]);
});

const misuse: [string, (ctx: ScenarioContext) => void, string][] = [
  ['a log matcher on a client', ({ cluster, client, expect }) => { cluster.start(); client.put('k', 'v'); expect(client).toContain('x'); }, 'toContain() applies to a node log, not to put "k" = "v"'],
  ['a watch with no client name', ({ cluster, client }) => { cluster.start(); client.watch('p/', { using: '' }); }, "watch({ using }) takes the name of a client under test, '*' or 'faultline', got \"\""],
  ['unblock without block', ({ cluster }) => { cluster.start(); cluster.node(2).unblock(); }, 'unblock() of node-2, which the plan has not blocked'],
  ['block twice', ({ cluster }) => { cluster.start(); cluster.node(2).block(); cluster.node(2).block(); }, 'node-2 is already blocked'],
  ['partition groups that overlap', ({ cluster }) => { cluster.start(); cluster.partition([1, 2], [2, 3]); }, 'partition() puts node-2 in 2 groups; groups must not overlap'],
  ['partition groups that miss a node', ({ cluster }) => { cluster.start(); cluster.partition([1], [2]); }, 'partition() leaves out node-3; every node must be in a group'],
  ['partition with one group', ({ cluster }) => { cluster.start(); cluster.partition([1, 2, 3]); }, 'partition() needs two or more non-empty groups'],
  ['partition outside the cluster', ({ cluster }) => { cluster.start(); cluster.partition([1], [2, 3, 4]); }, 'partition() names node-4, but the cluster has 3 nodes'],
  ['loss without a percentage', ({ cluster }) => { cluster.start(); cluster.node(1).loss('0.3' as never); }, 'loss() takes a percentage above 0% and below 100%, got "0.3"'],
  ['loss of 100%', ({ cluster }) => { cluster.start(); cluster.node(1).loss('100%'); }, "for 100% use block() or isolate()"],
  ['loss twice on one node', ({ cluster }) => { cluster.start(); cluster.node(1).loss('10%'); cluster.node(1).loss('20%'); }, 'node-1 already has loss() in force'],
  ['restore without a fault', ({ cluster }) => { cluster.start(); cluster.node(1).restore(); }, 'restore() of node-1, which has no fault in force that restore() ends'],
  ['heal without a partition', ({ cluster }) => { cluster.start(); cluster.heal(); }, 'heal() without a partition in place'],
  ['two partitions without heal', ({ cluster }) => { cluster.start(); cluster.node(1).isolate(); cluster.partition([1, 2], [3]); }, 'A partition is already in place'],
  ['block with an unknown backend', ({ cluster }) => { cluster.start(); cluster.node(1).block({ via: 'nftables' as never }); }, "block({ via }) is 'auto', 'iptables' or 'proxy', got \"nftables\""],
  ['workload with zero clients', ({ cluster }) => { cluster.start(); cluster.workload({ clients: 0 }); }, 'workload({ clients }) must be a whole number from 1 to 64, got 0'],
  ['workload stopped twice', ({ cluster }) => { cluster.start(); const w = cluster.workload({ for: '1s' }); w.stop(); w.stop(); }, 'stop() of a workload that is not running'],
  ['workload with a bad mix', ({ cluster }) => { cluster.start(); cluster.workload({ mix: { put: -1 } }); }, 'workload({ mix }) needs non-negative weights with a positive sum'],
  ['node index outside the cluster', ({ cluster }) => { cluster.start({ nodes: 3 }); cluster.node(4).kill(); }, 'node-4 does not exist: the cluster has 3 nodes (node-1 to node-3)'],
  ['node index zero', ({ cluster }) => { cluster.start(); cluster.node(0).kill(); }, 'cluster.node() takes a 1-based whole number, got 0'],
  ['verb on a node the plan already stopped', ({ cluster }) => { cluster.start(); cluster.node(2).kill(); cluster.node(2).pause(); }, 'pause() needs node-2 to be running, but the plan has stopped it by "kill -9 node-2"'],
  ['kill twice through one selector', ({ cluster }) => { cluster.start(); const l = cluster.leader(); l.kill(); l.kill(); }, 'kill() needs the leader to be running or paused'],
  ['resume of a node that is not paused', ({ cluster }) => { cluster.start(); cluster.node(1).resume(); }, 'resume() needs node-1 to be paused, but the plan has it running'],
  ['start of a running node', ({ cluster }) => { cluster.start(); cluster.node(1).start(); }, 'start() needs node-1 to be stopped'],
  ['a verb before cluster.start()', ({ cluster }) => { cluster.node(1).kill(); }, 'comes before cluster.start()'],
  ['cluster.start() twice', ({ cluster }) => { cluster.start(); cluster.start(); }, 'cluster.start() may appear once per scenario'],
  ['malformed duration', ({ cluster, wait }) => { cluster.start(); wait('2 seconds' as never); }, 'wait() is not a duration: "2 seconds"'],
  ['unit-less duration', ({ cluster }) => { cluster.start(); cluster.waitForLeader({ within: 5 as never }); }, 'must be a duration with a unit, got the number 5'],
  ['matcher on the wrong kind of value', ({ cluster, expect }) => { cluster.start(); expect(cluster).toRetry(3); }, 'toRetry() applies to an operation or the client, not to the cluster'],
  ['client matcher before any operation', ({ cluster, client, expect }) => { cluster.start(); expect(client).toSucceed(); }, "toSucceed() checks the client's last operation, but client has issued none yet"],
  ['expect of a foreign value', ({ cluster, expect }) => { cluster.start(); expect(42); }, 'expect() takes the cluster, a client or an operation of this scenario, got 42'],
  ['negative retry count', ({ cluster, client, expect }) => { cluster.start(); client.put('k', 'v'); expect(client).toRetry(-1); }, 'toRetry() takes a whole number of retries >= 0'],
];

for (const [name, body, text] of misuse) {
  test(`misuse is a ScenarioError with rule, fix and spec line: ${name}`, () => {
    const p = plan(body);
    expect(messages(p).join('\n')).toContain(text);
    const e = p.problems[0]!;
    expect(e.name).toBe('ScenarioError');
    expect(e.message).toContain('Fix: ');
    expect(e.message).toMatch(/at test\/dsl\/plan\.spec\.ts:\d+:\d+/);
  });
}

test('an unknown service in the matrix names the known ones and the closest', () => {
  const p = plan(() => {}, { matrix: { etcdd: 'TEST' } });
  expect(messages(p)[0]).toContain('Unknown service "etcdd" in the matrix of scenario "S9". Known services: etcd, chainfire, flaredb, plasmavmc, iam.');
  expect(messages(p)[0]).toContain('did you mean "etcd"?');
});

test('a status outside the four is rejected', () => {
  const p = plan(() => {}, { matrix: { etcd: 'TSET' } });
  expect(messages(p)[0]).toContain('Status "TSET" for "etcd" in scenario "S9" is not one of TEST, SKIP, DOC-GAP, n/a');
  expect(messages(p)[0]).toContain('did you mean "TEST"?');
});

test('a scenario without a matrix is rejected', () => {
  const p = plan(() => {}, {});
  expect(messages(p)[0]).toContain('Scenario "S9" has no matrix');
});
