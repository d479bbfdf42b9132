// Several clusters in one scenario (a PD and the cluster that uses it): what is recorded, and the
// rules checked before any process starts. The DSL alone, no process involved.
import { test, expect } from '@playwright/test';
import { definePlan, type ScenarioContext } from '../../dsl/scenario.ts';
import type { Plan, PlanStep } from '../../dsl/plan.ts';

function plan(body: (ctx: ScenarioContext) => void, matrix: object = { flaredb: 'TEST' }): Plan {
  return definePlan('S9', 'Topology', { matrix } as never, body);
}

const messages = (p: Plan) => p.problems.map((e) => e.message);

test('cluster(service) declares a cluster; its steps, nodes and clients carry its key, the PD is recorded on start', () => {
  const p = plan(({ cluster, client, expect }) => {
    const pd = cluster('chainfire');
    pd.start({ nodes: 3 });
    const db = cluster('flaredb', { pd });
    db.start({ nodes: 2 });
    client.put('k', 'v1');
    pd.leader().kill();
    expect(db.node(1).log).toContain('Reconnected to PD', { within: '20s' });
    expect(pd.client()).toRead('k', null);
    expect(pd).toHaveLeader({ within: '10s' });
    pd.partition([1], [2, 3]);
    cluster.heal();
  });
  expect(messages(p)).toEqual([]);
  expect(p.clusters.map((c) => [c.key, c.service])).toEqual([['chainfire', 'chainfire'], ['flaredb', 'flaredb']]);
  expect(p.steps.map((s) => s.title)).toEqual([
    'start the chainfire cluster of 3 nodes',
    'start the flaredb cluster of 2 nodes with the chainfire cluster as PD',
    'put "k" = "v1"',
    'kill -9 the chainfire leader',
    'expect the log of flaredb-node-1 to contain "Reconnected to PD" within 20s of the last fault',
    'expect client(chainfire) to read "k" = null',
    'expect the chainfire cluster to have a leader within 10s',
    'partition chainfire-node-1 | chainfire-node-2, chainfire-node-3 (both directions)',
    'heal the network (remove partitions)',
  ]);
  const [pdStart, dbStart] = p.steps as Extract<PlanStep, { kind: 'cluster.start' }>[];
  expect(pdStart).toMatchObject({ cluster: 'chainfire', service: 'chainfire', nodes: 3 });
  expect(pdStart!.pd).toBeUndefined();
  expect(dbStart).toMatchObject({ cluster: 'flaredb', service: 'flaredb', pd: { cluster: 'chainfire' } });
  const kill = p.steps[3] as Extract<PlanStep, { kind: 'node' }>;
  expect(kill.target).toMatchObject({ kind: 'leader', cluster: 'chainfire' });
});

test('a declared cluster named like the column is the column\'s own cluster: the default client needs no other start', () => {
  const p = plan(({ cluster, client }) => {
    const pd = cluster('chainfire');
    pd.start();
    cluster('flaredb', { pd }).start();
    client.put('k', 'v');
    cluster.node(1).kill();
  });
  expect(messages(p)).toEqual([]);
});

test('the column\'s own cluster can take a PD too: cluster.start({ pd })', () => {
  const p = plan(({ cluster }) => {
    const pd = cluster('etcd', { name: 'pd' });
    pd.start({ nodes: 1 });
    cluster.start({ nodes: 2, pd });
  });
  expect(messages(p)).toEqual([]);
  expect(p.steps[1]).toMatchObject({ kind: 'cluster.start', pd: { cluster: 'pd' } });
  expect(p.steps[1]!.title).toBe('start a cluster of 2 nodes with the pd cluster as PD');
});

const misuse: [string, (ctx: ScenarioContext) => void, string, string][] = [
  ['a PD started after the cluster that uses it', ({ cluster }) => { const pd = cluster('chainfire'); cluster('flaredb', { pd }).start(); pd.start(); }, 'the cluster uses the chainfire cluster as PD, but the chainfire cluster is not started before it', 'move chainfire.start() above this line'],
  ['a PD that is never started', ({ cluster }) => { const pd = cluster('chainfire'); cluster.start({ pd }); }, 'the cluster uses the chainfire cluster as PD, but the chainfire cluster is not started before it', 'start the PD first'],
  ['a cluster that is its own PD', ({ cluster }) => { const pd = cluster('chainfire'); pd.start({ pd }); }, 'the chainfire cluster cannot be its own PD', 'start the PD as its own cluster'],
  ['an unknown service', ({ cluster }) => { cluster('chainfir' as never).start(); }, 'cluster("chainfir") names no known service', "did you mean cluster('chainfire')?"],
  ['a name used for two services', ({ cluster }) => { cluster('chainfire', { name: 'pd' }).start(); cluster('etcd', { name: 'pd' }); }, 'The cluster name "pd" is already a chainfire cluster', "cluster('etcd', { name: 'etcd-2' })"],
  ['a name that cannot prefix node names', ({ cluster }) => { cluster('etcd', { name: 'My PD' }); }, 'a cluster name is lower-case letters, digits and dashes', "cluster('etcd', { name: 'pd' })"],
  ['the column\'s name for another service', ({ cluster }) => { cluster('chainfire', { name: 'flaredb' }).start(); }, 'The cluster "flaredb" is a chainfire cluster, but in the flaredb column that name is the column\'s own flaredb cluster', "cluster('chainfire', { name: 'pd' })"],
  ['a node of a declared cluster before its start', ({ cluster }) => { cluster.start(); cluster('chainfire').node(1).kill(); }, '"kill -9 chainfire-node-1" comes before the chainfire cluster is started', 'call start() on the chainfire cluster before this step'],
  ['a node index outside a declared cluster', ({ cluster }) => { const pd = cluster('chainfire'); pd.start({ nodes: 3 }); pd.node(4).kill(); }, 'chainfire-node-4 does not exist: the chainfire cluster has 3 nodes (chainfire-node-1 to chainfire-node-3)', 'use node(1) to node(3) of the chainfire cluster'],
  ['a declared cluster started twice', ({ cluster }) => { const pd = cluster('chainfire'); pd.start(); pd.start(); }, 'chainfire.start() may appear once per scenario for the chainfire cluster', 'remove the second start()'],
  ['a node\'s link to a cluster that is not its PD', ({ cluster, expect }) => { const a = cluster('etcd', { name: 'a' }); a.start(); cluster.start(); expect(cluster.node(1).linkTo(a.node(1))).toSeeRetries(1); }, 'node-1.linkTo(a-node-1): a node\'s link goes to a member of its cluster\'s PD, and the a cluster is not the PD of the cluster', 'start the cluster with { pd } set to the a cluster'],
  ['a link from a role selector', ({ cluster }) => { const pd = cluster('chainfire'); pd.start(); cluster.start({ pd }); cluster.leader().linkTo(pd.node(1)).blackhole(); }, 'linkTo() starts at a dependent server or at a node chosen by number, not at the leader', 'db.node(1).linkTo(pd.leader())'],
  ['a dependent\'s link to another cluster', ({ cluster }) => { const pd = cluster('chainfire'); pd.start(); cluster.start({ pd }); pd.dependent('grpc-proxy').linkTo(cluster.node(1)).blackhole(); }, 'chainfire-grpc-proxy.linkTo(node-1): a dependent server\'s links go to the nodes of the cluster it stands in front of (the chainfire cluster), not to the cluster', 'link to a node of the chainfire cluster'],
  ['a node\'s link within its own cluster', ({ cluster }) => { cluster.start(); cluster.node(1).linkTo(cluster.node(2)).reset(); }, 'links between nodes of one cluster are not proxied', 'use cluster.partition(...) or node.isolate() between nodes'],
  ['a client pinned to two clusters', ({ cluster, client }) => { const pd = cluster('chainfire'); pd.start(); cluster.start(); client.to(pd.node(1), cluster.node(1)).put('k', 'v'); }, 'a client is pinned to nodes of several clusters (chainfire-node-1, node-1)', 'pin each client to nodes of one cluster'],
];

for (const [name, body, rule, fix] of misuse) {
  test(`topology misuse is a ScenarioError with rule, fix and spec line: ${name}`, () => {
    const p = plan(body);
    const all = messages(p).join('\n');
    expect(all).toContain(rule);
    expect(all).toContain(fix);
    expect(p.problems[0]!.name).toBe('ScenarioError');
    expect(p.problems[0]!.message).toMatch(/at test\/dsl\/topology\.spec\.ts:\d+:\d+/);
  });
}

test('a node links to a member of its PD: recorded with both ends', () => {
  const p = plan(({ cluster }) => {
    const pd = cluster('chainfire');
    pd.start();
    cluster.start({ pd });
    cluster.node(2).linkTo(pd.leader()).blackhole();
  });
  expect(messages(p)).toEqual([]);
  expect(p.steps[2]).toMatchObject({ kind: 'link.fault', title: 'blackhole the link node-2 → the chainfire leader', link: { from: 'node-2', fromNode: { kind: 'index', index: 2 }, to: { kind: 'leader', cluster: 'chainfire' } } });
});

test('node verbs of two clusters do not share state: the same index in each cluster is its own node', () => {
  const p = plan(({ cluster }) => {
    const pd = cluster('chainfire');
    pd.start();
    cluster.start();
    pd.node(1).kill();
    cluster.node(1).kill();
    pd.node(1).start();
  });
  expect(messages(p)).toEqual([]);
});

test('steps through a declared cluster\'s clients need only that cluster started', () => {
  const p = plan(({ cluster, expect }) => {
    const pd = cluster('chainfire');
    pd.start();
    expect(pd.client().put('k', 'v')).toSucceed();
    const w = pd.client().watch('k/');
    expect(w).toReceiveAll();
    pd.workload({ for: '1s' }).stop();
    expect(pd).toBeConsistent();
  });
  expect(messages(p)).toEqual([]);
});

test('a rule broken in one column only fails that column, and says which and why', () => {
  // In the chainfire column, cluster('chainfire') IS the column's cluster: started twice, its own PD.
  const p = plan(({ cluster }) => {
    const pd = cluster('chainfire');
    pd.start();
    cluster.start({ pd });
  }, { flaredb: 'TEST', chainfire: 'TEST' });
  expect(p.problems).toEqual([]);
  expect(p.columnProblems.flaredb).toBeUndefined();
  const chainfire = (p.columnProblems.chainfire ?? []).map((e) => e.message);
  expect(chainfire.join('\n')).toContain("In the chainfire column (there, cluster('chainfire') is the column's own cluster): cluster.start() may appear once per scenario");
  expect(chainfire.join('\n')).toContain('Or mark chainfire n/a, or give the cluster another name');
});

test('a log expectation before any fault says it counts from the cluster start', () => {
  const p = plan(({ cluster, expect }) => {
    const pd = cluster('chainfire');
    pd.start();
    cluster.start({ pd });
    expect(cluster.node(1).log).toContain(/heartbeat/i, { within: '10s' });
    pd.node(1).kill();
    expect(cluster.node(1).log).toContain('Reconnected to PD', { within: '20s' });
  });
  expect(p.steps.filter((s) => s.kind === 'expect').map((s) => s.title)).toEqual([
    'expect the log of node-1 to contain /heartbeat/i within 10s of the cluster start',
    'expect the log of node-1 to contain "Reconnected to PD" within 20s of the last fault',
  ]);
});
