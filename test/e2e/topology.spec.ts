// Topologies against real processes: a PD cluster (etcd) and a store cluster whose launch template
// receives the PD's endpoints as {pd} (etcd grpc-proxy configured by path as a user's binary).
// Start in dependency order, teardown in reverse, checks before any process starts.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { etcdProcessesUnder, runChild, type ChildTest } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

interface Event { t: number; kind: string; node?: string; detail?: string }

const env = { FAULTLINE_PORT_BASE: String(PORT_BASES.topology), FAULTLINE_SERVICES: 'test/fixtures/topology/services.json', FAULTLINE_SPECS: 'test/fixtures/topology', CHAINFIRE_BIN: '' };
// One child run, shared by the tests below: they run in one worker (under fullyParallel every
// worker would start its own child on the same ports).
test.describe.configure({ mode: 'default' });
let tests: ChildTest[] = [];
let out = '';

test.beforeAll(async ({}, testInfo) => {
  out = testInfo.outputPath('child');
  ({ tests } = await runChild(out, [], env));
});

test.afterAll(async () => {
  expect(await etcdProcessesUnder(out), 'no etcd or grpc-proxy left').toEqual([]);
});

const byId = (id: string) => tests.find((t) => t.title.startsWith(`${id} `))!;

test('the store cluster starts after its PD with every PD endpoint in {pd}, and is torn down first', async () => {
  const t = byId('T1');
  expect(t.status, t.error).toBe('passed');
  const { events } = JSON.parse(t.bodies['events.json']!) as { events: Event[] };
  const starts = events.filter((e) => e.kind === 'cluster.start').map((e) => e.detail!);
  expect(starts).toHaveLength(2);
  expect(starts[0]).toBe('pd: etcd x3');
  // The PD members' client URLs, from their own command lines.
  const pdPorts = ['pd-node-1', 'pd-node-2', 'pd-node-3'].map((n) => {
    const spawn = events.find((e) => e.kind === 'spawn' && e.node === n)!;
    return /--listen-client-urls=http:\/\/127\.0\.0\.1:(\d+)/.exec(spawn.detail!)![1];
  });
  const pdList = pdPorts.map((p) => `127.0.0.1:${p}`).join(',');
  // Declared as cluster('flaredb', { pd }): the flaredb column's own cluster, its nodes named after the declaration.
  expect(starts[1]).toBe(`flaredb: flaredb x2 (pd ${pdList})`);
  for (const n of ['flaredb-node-1', 'flaredb-node-2']) {
    const spawn = events.find((e) => e.kind === 'spawn' && e.node === n)!;
    expect(spawn.detail).toContain(`grpc-proxy start --endpoints=${pdList}`);
    // Dependency order: every PD member was ready before the store's first process was spawned.
    for (const p of ['pd-node-1', 'pd-node-2', 'pd-node-3']) expect(events.find((e) => e.kind === 'ready' && e.node === p)!.t).toBeLessThanOrEqual(spawn.t);
  }
  // Reverse order: the store cluster is destroyed (its processes gone) before the PD's teardown.
  const stops = events.filter((e) => e.kind === 'cluster.stop');
  expect(stops.map((e) => e.detail)).toEqual(['the cluster (flaredb)', 'the pd cluster (etcd)']);
  const storeStop = stops[0]!.t;
  const lastStoreExit = Math.max(...events.filter((e) => e.kind === 'exit' && /^flaredb-node-/.test(e.node!)).map((e) => e.t));
  const pdTeardownExits = events.filter((e) => e.kind === 'exit' && /^pd-node-/.test(e.node!) && e.t >= storeStop).map((e) => e.t);
  expect(lastStoreExit).toBeLessThanOrEqual(storeStop);
  expect(pdTeardownExits.length, 'the two PD members still running at the end exit in the teardown').toBe(2);
  // Operations of each cluster are recorded with it: the store's history has no "cluster", the PD's reads do.
  const history = t.bodies['history.jsonl']!.trim().split('\n').map((l) => JSON.parse(l) as { process: string; cluster?: string; key: string });
  expect(history.filter((r) => r.process === 'client(pd)').map((r) => r.cluster)).toEqual(['pd', 'pd']);
  expect(history.filter((r) => r.process === 'client').every((r) => r.cluster === undefined)).toBe(true);
  expect(t.attachments).toEqual(expect.arrayContaining(['pd-node-1.log', 'flaredb-node-1.log', 'log-flaredb-node-1-matches.txt']));
});

test('a node\'s links to its PD go through a fault proxy each, and show its reconnects to a killed PD member', () => {
  const t = byId('T4');
  expect(t.status, t.error).toBe('passed');
  const { events } = JSON.parse(t.bodies['events.json']!) as { events: Event[] };
  const pdPorts = ['pd-node-1', 'pd-node-2', 'pd-node-3'].map((n) => /--listen-client-urls=http:\/\/127\.0\.0\.1:(\d+)/.exec(events.find((e) => e.kind === 'spawn' && e.node === n)!.detail!)![1]);
  const endpoints = /--endpoints=(\S+)/.exec(events.find((e) => e.kind === 'spawn' && e.node === 'node-1')!.detail!)![1]!.split(',');
  expect(endpoints).toHaveLength(3);
  for (const e of endpoints) expect(pdPorts).not.toContain(e.split(':')[1]);
  const links = JSON.parse(t.bodies['links.json']!) as Record<string, unknown>;
  expect(Object.keys(links).sort()).toEqual(['node-1→pd-node-1', 'node-1→pd-node-2', 'node-1→pd-node-3']);
});

test('two clusters of one run keep apart: own node users and data links, own workloads, watch and verdicts', () => {
  const t = byId('T5');
  expect(t.status, t.error).toBe('passed');
  const { events } = JSON.parse(t.bodies['events.json']!) as { events: (Event & { user?: string })[] };
  const users = new Map(events.filter((e) => e.kind === 'spawn').map((e) => [e.node!, e.user]));
  expect([...users.keys()].sort()).toEqual(['node-1', 'node-2', 'node-3', 'other-node-1', 'other-node-2', 'other-node-3']);
  expect(new Set(users.values()).size, 'a partition matches packets by uid: no uid shared across clusters').toBe(6);
  const history = t.bodies['history.jsonl']!.trim().split('\n').map((l) => JSON.parse(l) as { process: string; cluster?: string; key: string });
  const [first, second] = [...new Set(history.filter((r) => /^w\d+-c/.test(r.process)).map((r) => r.key.split('/')[0]))];
  expect(history.filter((r) => r.key.startsWith(`${first}/`)).every((r) => r.cluster === 'other')).toBe(true);
  expect(history.filter((r) => r.key.startsWith(`${second}/`)).every((r) => r.cluster === undefined)).toBe(true);
  // The watch on the other cluster is checked against that cluster's writes only (k/a), not the column's k/b.
  expect(t.bodies['watch-faultline-check.txt']).toContain('1 of 1 acknowledged writes delivered');
});

test('a cluster given no PD gets the one its configuration names, started first and stopped last', () => {
  const t = byId('T6');
  expect(t.status, t.error).toBe('passed');
  const { events } = JSON.parse(t.bodies['events.json']!) as { events: Event[] };
  expect(events.find((e) => e.kind === 'pd.configured')?.detail).toBe('the flaredb configuration names etcd as its PD: starting "flaredb-pd" (1 node) first');
  const starts = events.filter((e) => e.kind === 'cluster.start').map((e) => e.detail!);
  const pdPort = /--listen-client-urls=http:\/\/127\.0\.0\.1:(\d+)/.exec(events.find((e) => e.kind === 'spawn' && e.node === 'flaredb-pd-node-1')!.detail!)![1];
  expect(starts).toEqual(['flaredb-pd: etcd x1', `flaredb x2 (pd 127.0.0.1:${pdPort})`]);
  expect(events.filter((e) => e.kind === 'cluster.stop').map((e) => e.detail)).toEqual(['the cluster (flaredb)', 'the flaredb-pd cluster (etcd)']);
});

test('a column whose configured PD service is not configured is skipped with that reason', async ({}, testInfo) => {
  // The same fixture service, its PD now ChainFire (not configured here).
  const config = JSON.parse(fs.readFileSync('test/fixtures/topology/services.json', 'utf8'));
  config.flaredb.pd = { service: 'chainfire', nodes: 1 };
  config.flaredb.proto = [path.resolve('services/etcd/proto/etcd-v3-min.proto')];
  const file = testInfo.outputPath('services.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const child = await runChild(testInfo.outputPath('child'), ['--grep', '@T6'], { ...env, FAULTLINE_SERVICES: file });
  expect(child.tests.map((c) => [c.title, c.status])).toEqual([['T6 The PD the configuration names', 'skipped']]);
  expect(child.tests[0]!.annotations.find((a) => a.type === 'skip')?.description).toBe('chainfire binary not configured (set CHAINFIRE_BIN) — flaredb needs a chainfire PD ("pd" of flaredb in faultline.services.json), which the runner starts first');
});

test('a declared cluster that takes the configured PD\'s name fails before any process starts', () => {
  const t = byId('T7');
  expect(t.status).toBe('failed');
  expect(t.error).toContain('would start the PD its configuration names as "flaredb-pd", but the scenario declares a cluster of that name');
  expect(t.error).toContain('Fix: give the declared cluster another name');
  const { events } = JSON.parse(t.bodies['events.json']!) as { events: Event[] };
  expect(events.filter((e) => e.kind === 'spawn')).toEqual([]);
});

test('a PD given to a service whose launch has no {pd} fails before any process starts', () => {
  const t = byId('T2');
  expect(t.status).toBe('failed');
  expect(t.error).toContain('gives the etcd cluster a PD, but the etcd service does not use PD endpoints');
  // etcd is configuration like every service: the fix names its "args".
  expect(t.error).toContain('Fix: add the PD flag with {pd} to "etcd".args in faultline.services.json (e.g. "--pd-endpoints", "{pd}"), or start the cluster without pd.');
  const { events } = JSON.parse(t.bodies['events.json']!) as { events: Event[] };
  expect(events.filter((e) => e.kind === 'spawn')).toEqual([]);
});

test('a scenario whose PD service is not configured is skipped with the reason', () => {
  const t = byId('T3');
  expect(t.status).toBe('skipped');
  expect(t.annotations.find((a) => a.type === 'skip')?.description).toBe('chainfire binary not configured (set CHAINFIRE_BIN) — the scenario starts a chainfire cluster ("chainfire") beside etcd');
});
