// SIGKILL of a run mid-S3 (node-1 isolated: per-uid data dirs in /tmp, iptables chains, node cgroups) leaves
// nothing once its watchdog has acted: no process, no chain, no cgroup, nothing under /tmp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { test, expect } from '@playwright/test';
import { firewallCapability } from '../../runner/firewall/index.ts';
import { PORT_BASES } from './port-bases.ts';
import { faultlineCgroups, cgroupOwner, tmpLeftBy, watchdogLog } from './watchdog-dirs.ts';

const CLI = path.resolve('node_modules/@playwright/test/cli.js');
const capability = firewallCapability();
test.skip(!capability.usable, capability.reason);

const nodeDirs = () => fs.readdirSync(os.tmpdir()).filter((n) => /^faultline-nodes-\d+-/.test(n));
const chainsOf = async (worker: number) => (await execa('iptables', ['-w', '-S'])).stdout.split('\n').filter((l) => l.includes(`FAULTLINE-${worker}-`));
const etcdOf = async (worker: number) => (await execa('pgrep', ['-a', '-f', `etcd .*faultline-nodes-${worker}-`], { reject: false })).stdout.split('\n').filter(Boolean);

test('SIGKILL of the worker and the runner mid-S3: after the watchdog acts nothing of the run remains, under /tmp neither', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const out = testInfo.outputPath('child');
  fs.mkdirSync(out, { recursive: true });
  const before = new Set(nodeDirs());
  const runner = execa('node', [CLI, 'test', '-c', 'test/fixtures/scenarios.config.ts', '--project=etcd', '--grep', 'S3 ', '--workers=1', '--reporter=line'], {
    reject: false,
    all: true,
    env: { FAULTLINE_CHILD_OUT: path.resolve(out), FAULTLINE_PORT_BASE: String(PORT_BASES.s3Sigkill), FAULTLINE_SPECS: 'specs' },
  });
  let worker = 0;
  try {
    // Mid-S3: the run's per-uid data dir exists (named with the worker's pid) and node-1 is isolated (its chains).
    await expect.poll(() => nodeDirs().filter((n) => !before.has(n)).length, { timeout: 150_000, message: 'S3 started its nodes' }).toBeGreaterThan(0);
    worker = Number(/^faultline-nodes-(\d+)-/.exec(nodeDirs().find((n) => !before.has(n))!)![1]);
    await expect.poll(() => chainsOf(worker).then((c) => c.some((l) => l.includes('--uid-owner'))), { timeout: 60_000, message: 'node-1 is isolated' }).toBe(true);
    // S3 kills node-2 right after the majority's write, which may already have happened when the poll sees node-1 isolated.
    expect((await etcdOf(worker)).length, 'etcd under their own uids (node-2 may already be killed by the scenario)').toBeGreaterThanOrEqual(2);
    expect(tmpLeftBy(worker).length, 'the run has its data dir and its watchdog dir in /tmp').toBeGreaterThanOrEqual(2);
    process.kill(worker, 'SIGKILL');
    runner.kill('SIGKILL');
    const t0 = Date.now();
    await expect.poll(() => etcdOf(worker), { timeout: 15_000 }).toEqual([]);
    await expect.poll(() => chainsOf(worker), { timeout: 15_000 }).toEqual([]);
    await expect.poll(() => faultlineCgroups().filter((d) => cgroupOwner(d) === worker), { timeout: 15_000 }).toEqual([]);
    await expect.poll(() => tmpLeftBy(worker), { timeout: 15_000, message: 'nothing of the run under /tmp' }).toEqual([]);
    console.log(`SIGKILL mid-S3 → processes, chains, cgroups and /tmp dirs gone after ${Date.now() - t0} ms`);
    // The evidence of what was cleaned is kept under the child's test-results, not in /tmp.
    const log = watchdogLog(out, worker);
    expect(log).toMatch(/removed directory \/\S+faultline-nodes-\d+-\w+/);
    expect(log).toMatch(/removed iptables chain "FAULTLINE-/);
  } finally {
    runner.kill('SIGKILL');
    await runner;
    if (worker) for (const l of await etcdOf(worker)) process.kill(Number(l.split(' ')[0]), 'SIGKILL');
  }
});
