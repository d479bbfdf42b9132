// Peer links and log definitions refuse bad input with the rule and the fix, before any process starts where that is known then.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { definePlan, type ScenarioContext } from '../../../dsl/scenario.ts';
import { FaultlineError } from '../../../dsl/errors.ts';
import { compileLogPattern, LogDefinitionError, timedLines } from '../../../runner/log-times.ts';
import { checkPeerLinks } from '../../../runner/peer-links.ts';
import { loggedLeaders } from '../../../runner/leader-log.ts';
import { EnvironmentError } from '../../../runner/process/process-errors.ts';
import { etcdService } from '../../../services/etcd/definition.ts';

const etcdLogs = etcdService().logs!;
import { startClock } from '../../../runner/time/clock.ts';
import type { Run } from '../../../runner/run.ts';

const plan = (body: (ctx: ScenarioContext) => void) => definePlan('P9', 'Peers', { matrix: { etcd: 'TEST' } } as never, body);

test('a one-way cut of a node the plan has stopped is a plan error naming the stopping step', () => {
  const p = plan(({ cluster }) => {
    cluster.start({ nodes: 3 });
    cluster.node(1).kill();
    cluster.node(1).peerLink(cluster.node(2)).cut();
  });
  const m = p.problems.map((e) => e.message).join('\n');
  expect(m).toContain('needs node-1 running, but the plan has stopped it by "kill -9 node-1"');
  expect(m).toContain('Fix: cut the link before stopping node-1, or start() it first.');
});

test('peerLink() between two clusters is a plan error', () => {
  const p = plan(({ cluster }) => {
    const pd = cluster('etcd', { name: 'pd' });
    pd.start({ nodes: 3 });
    cluster.start({ nodes: 3 });
    cluster.node(1).peerLink(pd.node(1)).cut();
  });
  expect(p.problems.map((e) => e.message).join('\n')).toContain('peerLink() joins two members of one cluster');
});

test('a peer link of a service whose definition does not say how peers are addressed fails before any process starts', () => {
  const p = plan(({ cluster }) => {
    cluster.start({ nodes: 3 });
    cluster.node(1).peerLink(cluster.node(2)).blackhole();
  });
  const { peers: _, ...noPeers } = etcdService();
  const run = { service: noPeers, keyOf: (k?: string) => k ?? '', definitionFor: () => noPeers } as unknown as Run;
  const e = (() => { try { checkPeerLinks(p, run); } catch (err) { return err; } })();
  expect(e).toBeInstanceOf(EnvironmentError);
  expect((e as Error).message).toContain('does not say how its members address each other');
  expect((e as Error).message).toContain('"peers": { "port": "<its peer port name>" }');
});

test('a log pattern that does not compile names the field and how to write it', () => {
  const e = (() => { try { compileLogPattern('chainfire', 'retry', 'retrying (attempt'); } catch (err) { return err; } })();
  expect(e).toBeInstanceOf(LogDefinitionError);
  expect(e).toBeInstanceOf(FaultlineError);
  expect((e as Error).message).toContain("logs.retry pattern \"retrying (attempt\" does not compile");
});

test('a timestamp format that matches no line of the log is an error, not silence', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-logdef-'));
  try {
    const file = path.join(dir, 'node-1.log');
    fs.writeFileSync(file, '2026-12-07 20:00:00 INFO retrying raft rpc to node-2\n2026-12-07 20:00:01 INFO retrying raft rpc to node-2\n');
    const e = (() => { try { timedLines('chainfire', etcdLogs, 'retry', 'retrying', file, startClock()); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(LogDefinitionError);
    expect((e as Error).message).toContain('matched none of the 2 lines');
    expect((e as Error).message).toContain('Fix: make its first group capture the time');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('etcd\'s own lines are read with their own timestamps', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-logdef-'));
  try {
    const clock = startClock();
    const at = new Date(Date.parse(clock.originWallTime) + 1500).toISOString();
    const file = path.join(dir, 'node-2.log');
    fs.writeFileSync(file, `{"level":"debug","ts":"${at}","caller":"rafthttp/stream.go:597","msg":"dial stream reader","from":"a","to":"b","address":"http://127.0.0.1:17008/raft/stream/msgapp/a"}\n`);
    const [l] = timedLines('etcd', etcdLogs, 'retry', etcdLogs.retry!, file, clock);
    expect(l!.t).toBeCloseTo(1500, -1);
    expect(l!.groups).toEqual({ port: '17008', series: 'msgapp' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a leader pattern that does not compile fails before any process starts, naming the service, the field and the fix', () => {
  const p = plan(({ cluster }) => {
    cluster.start({ nodes: 3 });
    cluster.node(1).kill();
  });
  const bad = { ...etcdService(), logs: { ...etcdLogs, leader: 'became leader at term (?<term>\\d+' } };
  const run = { service: bad, keyOf: (k?: string) => k ?? '', definitionFor: () => bad } as unknown as Run;
  const e = (() => { try { checkPeerLinks(p, run); } catch (err) { return err; } })();
  expect(e).toBeInstanceOf(LogDefinitionError);
  expect((e as LogDefinitionError).service).toBe('etcd');
  expect((e as Error).message).toContain('The etcd definition\'s logs.leader pattern "became leader at term (?<term>\\\\d+" does not compile');
  expect((e as Error).message).toContain('Fix: write a JavaScript regular expression');
});

test('leader lines under a timestamp format that matches no line are an error naming the service and the timestamp field', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-logdef-'));
  try {
    const logFile = path.join(dir, 'node-1.log');
    fs.writeFileSync(logFile, '2026-12-07 20:00:00 INFO raft: 8e9e became leader at term 2\n');
    const service = { ...etcdService(), name: 'chainfire', logs: { ...etcdLogs } };
    const e = (() => { try { loggedLeaders(service, [{ name: 'node-1', index: 1, dataDir: dir, logFile, ports: {} }], startClock()); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(LogDefinitionError);
    expect((e as Error).message).toContain("The chainfire definition's logs.timestamp pattern");
    expect((e as Error).message).toContain('matched none of the 1 lines');
    expect((e as Error).message).toContain('Fix: make its first group capture the time');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('toRetryAsClaimed({ view, atLeast }) outside their values is a plan error with the fix', () => {
  const p = plan(({ cluster, expect: ex }) => {
    cluster.start({ nodes: 3 });
    ex(cluster.leader().peerLinks().incoming()).toRetryAsClaimed({ view: 'logs' as never });
    ex(cluster.leader().peerLinks().incoming()).toRetryAsClaimed({ atLeast: 0 });
  });
  const m = p.problems.map((e) => e.message).join('\n');
  expect(m).toContain('toRetryAsClaimed({ view }) is "gate and log" or "log", got "logs"');
  expect(m).toContain('toRetryAsClaimed({ atLeast }) is a whole number of attempts per retry loop, at least 1, got 0');
});
