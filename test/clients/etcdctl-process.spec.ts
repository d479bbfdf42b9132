// etcdctl's process handling without a cluster: the hard deadline kills the whole group; a missing binary says how to fix it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { execa } from 'execa';
import { startClock } from '../../runner/clock.ts';
import { etcdctlClient } from '../../runner/clients/index.ts';
import { ourEtcdctlProcesses } from './client-cases.ts';

const HANGING = fileURLToPath(new URL('./fixtures/etcdctl', import.meta.url));
const ENDPOINT = [{ node: 'node-1', address: '127.0.0.1:1' }];

test.afterEach(async () => {
  expect(await ourEtcdctlProcesses(), 'no etcdctl process may outlive its operation').toEqual([]);
});

test('an etcdctl that outlives its timeouts is killed with its whole group; a put is then info', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('etcdctl.log');
  const ctl = etcdctlClient({ env: { ETCDCTL_BIN: HANGING }, commandTimeoutMs: 100, dialTimeoutMs: 100, logFile });
  const clock = startClock();
  const r = await ctl.run({ op: 'put', key: 'k', value: 'v' }, ENDPOINT, clock);
  await ctl.close();
  const ms = Math.round(clock.now());
  console.log(`[clients measurement] hanging etcdctl: ${r.outcome} after ${ms} ms, attempts ${r.attempts.map((a) => a.status).join(', ')}`);
  expect(r.outcome).toBe('info');
  expect(r.error).toMatch(/^etcdctl outlived its hard deadline of 3200 ms and its process group was killed; last stderr line: \{/);
  expect(r.attempts.map((a) => a.status)).toEqual(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);
  expect(ms).toBeGreaterThanOrEqual(3200);
  expect(ms).toBeLessThan(6000);
  const pid = Number(/\[op 1 pid (\d+)\]/.exec(fs.readFileSync(logFile, 'utf8'))?.[1]);
  // The orphaned sleep child may linger as a zombie until init reaps it: dead, so not counted.
  expect(await liveInGroup(pid), 'the group (the sleep child included) is dead').toEqual([]);
});

/** Processes of the group that are not zombies, as "pid stat comm". */
async function liveInGroup(pgid: number): Promise<string[]> {
  const ps = await execa('ps', ['-eo', 'pgid=,pid=,stat=,comm=']);
  return ps.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter(([g, , stat]) => Number(g) === pgid && !stat!.startsWith('Z')).map((f) => f.slice(1).join(' '));
}

test('a missing etcdctl binary is an environment error that names the fix', async () => {
  const ctl = etcdctlClient({ env: { ETCDCTL_BIN: path.join('/nonexistent', 'etcdctl') } });
  await expect(ctl.run({ op: 'get', key: 'k' }, ENDPOINT, startClock())).rejects.toThrow(/Could not start "\/nonexistent\/etcdctl"[\s\S]*Fix: install etcdctl \(Debian: apt-get install etcd-client\) or set ETCDCTL_BIN/);
});
