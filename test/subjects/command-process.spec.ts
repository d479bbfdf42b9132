// A command client's process handling without a cluster: its timeout kills the whole group; a command
// that cannot start names the field to fix.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { execa } from 'execa';
import { startClock } from '../../runner/time/clock.ts';
import { commandClient } from '../../runner/subjects/command-client.ts';
import { etcdService } from '../../services/etcd/definition.ts';
import type { ClientUnderTestConfig, CommandClientConfig } from '../../runner/contract/subject-config.ts';
import { ourEtcdctlProcesses } from './client-cases.ts';

const HANGING = fileURLToPath(new URL('./fixtures/hanging-etcdctl', import.meta.url));
const ENDPOINT = [{ node: 'node-1', address: '127.0.0.1:1' }];
const shipped = () => etcdService(process.env).clientsUnderTest!.etcdctl as ClientUnderTestConfig & CommandClientConfig;

test.afterEach(async () => {
  expect(await ourEtcdctlProcesses(), 'no etcdctl process may outlive its operation').toEqual([]);
});

test('a command that outlives its timeout is killed with its whole group; a put is then info', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('etcdctl.log');
  const ctl = commandClient({ ...shipped(), command: HANGING, timeoutMs: 500 }, { logFile });
  const clock = startClock();
  const r = await ctl.run({ op: 'put', key: 'k', value: 'v' }, ENDPOINT, clock);
  await ctl.close();
  expect(r.outcome).toBe('info');
  expect(r.error).toMatch(/^etcdctl outlived its timeout of 500 ms and its process group was killed; last stderr line: \{/);
  // The one logged try (read by the configured "attemptLine"), nothing else.
  expect(r.attempts.map((a) => a.status)).toEqual(['UNAVAILABLE']);
  expect(r.attempts[0]!.error).toMatch(/transport is closing \(target endpoint:\/\/client-x\/127\.0\.0\.1:1\)$/);
  const pid = Number(/\[op 1 pid (\d+)\]/.exec(fs.readFileSync(logFile, 'utf8'))?.[1]);
  // The orphaned sleep child may linger as a zombie until init reaps it: dead, so not counted.
  expect(await liveInGroup(pid), 'the group (the sleep child included) is dead').toEqual([]);
});

/** Processes of the group that are not zombies, as "pid stat comm". */
async function liveInGroup(pgid: number): Promise<string[]> {
  const ps = await execa('ps', ['-eo', 'pgid=,pid=,stat=,comm=']);
  return ps.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter(([g, , stat]) => Number(g) === pgid && !stat!.startsWith('Z')).map((f) => f.slice(1).join(' '));
}

test('a command that cannot start is an error naming the client and the field to fix', async () => {
  const ctl = commandClient({ ...shipped(), command: '/nonexistent/etcdctl' }, {});
  await expect(ctl.run({ op: 'get', key: 'k' }, ENDPOINT, startClock())).rejects.toThrow(/The "etcdctl" client of etcd: its command "\/nonexistent\/etcdctl" could not be started[\s\S]*Fix: install it, or point "clients\.etcdctl\.command\.binary" at its path/);
});

test('etcd3 driver and etcdctl are unavailable, not errors, where their programs are missing: the reason is the skip', () => {
  const clients = etcdService({ PATH: '/nonexistent', ETCDCTL_BIN: '/nonexistent/etcdctl' }).clientsUnderTest!;
  expect(clients.etcdctl!.unavailable).toMatch(/"\/nonexistent\/etcdctl", is not an executable file/);
  expect(clients.etcd3!.unavailable).toMatch(/"node" \(clients\.etcd3\.driver\.command\[0\] of etcd\) is not on PATH/);
});
