// The runner on real etcd: start, readiness, leader, each signal verb seen on the real process.
import fs from 'node:fs';
import { test } from '../../runner/fixture.ts';
import { expect } from '@playwright/test';
import { etcdService } from '../../services/etcd/definition.ts';
import { SEED_POLICY } from '../../dsl/policy.ts';
import type { Run } from '../../runner/run.ts';

/** The process state letter from /proc/<pid>/stat (R, S, T, Z...), or undefined when gone. */
function procState(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  } catch {
    return undefined;
  }
}

async function put(run: Run, node: string, key: string, value: string) {
  return run.execute({ op: 'put', key, value }, 'test', [run.cluster.endpoint(node)], SEED_POLICY);
}

async function get(run: Run, node: string, key: string) {
  return run.execute({ op: 'get', key }, 'test', [run.cluster.endpoint(node)], SEED_POLICY);
}

test('a 3-node etcd cluster starts, becomes ready and elects one leader', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3 });
  expect(cluster.names).toEqual(['node-1', 'node-2', 'node-3']);
  for (const n of cluster.names) expect(cluster.state(n)).toBe('running');
  const leader = await cluster.leader(5000);
  expect(cluster.names).toContain(leader);
  const ready = run.events.events.filter((e) => e.kind === 'ready').map((e) => e.node).sort();
  expect(ready).toEqual(['node-1', 'node-2', 'node-3']);
  const ports = cluster.spec.nodes.flatMap((n) => Object.values(n.ports));
  expect(new Set(ports).size).toBe(6);
});

test('pause is SIGSTOP (state T), resume is SIGCONT, on the real process', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 1 });
  const pid = cluster.process('node-1')!.pid;
  cluster.pause('node-1');
  await expect.poll(() => procState(pid)).toBe('T');
  expect(cluster.state('node-1')).toBe('paused');
  cluster.resume('node-1');
  await expect.poll(() => procState(pid)).not.toBe('T');
  expect((await put(run, 'node-1', 'k', 'v')).outcome).toBe('ok');
});

test('kill is SIGKILL: the process is gone at once', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 1 });
  const p = cluster.process('node-1')!;
  await cluster.kill('node-1');
  expect(p.exit?.signal).toBe('SIGKILL');
  expect(procState(p.pid)).toBeUndefined();
  expect(cluster.state('node-1')).toBe('stopped');
});

test('term is SIGTERM and waits for a clean exit', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 1 });
  const p = cluster.process('node-1')!;
  await cluster.term('node-1');
  expect(p.exit).toBeDefined();
  expect(p.exit?.signal ?? p.exit?.exitCode).not.toBe('SIGKILL');
  expect(procState(p.pid)).toBeUndefined();
  expect(run.events.events.some((e) => e.kind === 'signal' && e.detail === 'SIGTERM')).toBe(true);
});

test('restart keeps the data dir: a write before is readable after', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 3 });
  expect((await put(run, 'node-2', 'kept', 'yes')).outcome).toBe('ok');
  const before = cluster.process('node-2')!.pid;
  await cluster.restart('node-2');
  expect(cluster.process('node-2')!.pid).not.toBe(before);
  const r = await get(run, 'node-2', 'kept');
  expect(r.outcome).toBe('ok');
  expect(r.result).toBe('yes');
  // The restarted member read its own WAL: etcd says so in its log.
  expect(fs.readFileSync(cluster.nodeSpec('node-2').logFile, 'utf8')).toContain('restarting local member');
});

test('misuse of a running cluster gets a NodeProcessError naming the node and pid', async ({ faultline }) => {
  const run = faultline.open(etcdService());
  const cluster = await run.startCluster({ nodes: 1 });
  expect(() => cluster.resume('node-1')).toThrow(/Cannot resume node-1: it is not paused\.\n\s+node "node-1", pid \d+/);
  await cluster.kill('node-1');
  await expect(cluster.kill('node-1')).rejects.toThrow('Cannot kill node-1: it is not running.');
});

test('a node that cannot start reports the exit and its last log lines', async ({ faultline }) => {
  const service = { ...etcdService(), launch: () => ({ command: 'etcd', args: ['--no-such-flag'] }) };
  const run = faultline.open(service);
  const err = await run.startCluster({ nodes: 1 }).catch((e) => e);
  expect(err.name).toBe('NodeProcessError');
  expect(err.message).toContain('node-1 exited while starting.');
  expect(err.message).toMatch(/exit code [1-9]/);
  expect(err.message).toContain('flag provided but not defined: -no-such-flag');
});

test('a missing binary is a clear error before anything runs', async ({ faultline }) => {
  const service = { ...etcdService(), launch: () => ({ command: '/nonexistent/etcd', args: [] }) };
  const err = await faultline.open(service).startCluster({ nodes: 1 }).catch((e) => e);
  expect(err.message).toContain('Could not start "/nonexistent/etcd" for node-1');
  expect(err.message).toContain('ENOENT');
});
