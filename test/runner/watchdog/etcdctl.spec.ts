// Clients under test run as processes too: each etcdctl (an op, a watch) and each driver is a registered group,
// so it dies with its owner instead of living on until its own timeout; an op that ends by itself leaves nothing registered.
import net from 'node:net';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { execa, type ResultPromise } from 'execa';
import { startClock } from '../../../runner/time/clock.ts';
import type { ProcessGuard } from '../../../runner/process/node-process.ts';
import { etcdctl } from '../../subjects/etcd-subjects.ts';
import { WatchdogError } from '../../../runner/watchdog/index.ts';
import { ourEtcdctlProcesses } from '../../subjects/client-cases.ts';
import type { EtcdctlOwnerPlan, EtcdctlOwnerReady } from './fixtures/etcdctl-owner.ts';
import { alive, forceKill, readLog, waitGone } from './helpers.ts';

const OWNER = fileURLToPath(new URL('./fixtures/etcdctl-owner.ts', import.meta.url));

/** A member that accepts connections and never answers (as a SIGSTOPped etcd): etcdctl waits for its own timeouts. */
async function blackhole(): Promise<{ address: string; close: () => void }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s.on('error', () => {})));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { address: `127.0.0.1:${port}`, close: () => (sockets.forEach((s) => s.destroy()), server.close()) };
}

/** Starts the etcdctl owner; resolves with its output lines once one starts with `marker`. */
async function startOwner(plan: EtcdctlOwnerPlan, marker: string): Promise<{ sub: ResultPromise; lines: string[]; line: string }> {
  const sub = execa(process.execPath, ['--import', 'tsx', OWNER, JSON.stringify(plan)], { detached: true, cleanup: false, reject: false, buffer: false, stdin: 'ignore' });
  const lines: string[] = [];
  for (const s of [sub.stdout!, sub.stderr!]) readline.createInterface({ input: s }).on('line', (l) => lines.push(l));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const line = lines.find((l) => l.startsWith(marker));
    if (line) return { sub, lines, line: line.slice(marker.length) };
    if (sub.exitCode !== null || sub.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  forceKill(-sub.pid!);
  throw new Error(`The etcdctl owner did not print ${marker}within 20 s:\n${lines.join('\n')}`);
}

test('a SIGKILLed owner: its etcdctl op groups, its etcdctl watch and its etcd3 driver are gone at once, not at their timeouts', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  const member = blackhole();
  let ready: EtcdctlOwnerReady | undefined;
  let sub: ResultPromise | undefined;
  try {
    const owner = await startOwner({ endpoint: (await member).address, logFile, end: 'wait' }, 'READY ');
    sub = owner.sub;
    ready = JSON.parse(owner.line) as EtcdctlOwnerReady;
    const children = (await execa('pgrep', ['-P', String(ready.owner), '-f', 'etcdctl|etcd3-driver'], { reject: false })).stdout.split('\n').filter(Boolean).map(Number).filter((p) => p !== ready!.reaper);
    expect(children.filter(alive), 'the owner runs three etcdctl (two ops and a watch) and a driver').toHaveLength(4);
    process.kill(ready.owner, 'SIGKILL');
    // No guess about the machine's speed: wait until they are gone, then judge by the reaper's own log.
    const ms = await waitGone(children, 30_000);
    console.log(`owner SIGKILL → 4 client groups (2 etcdctl ops, 1 etcdctl watch, the etcd3 driver) gone in ${ms === undefined ? 'MORE THAN 30000' : ms.toFixed(1)} ms (their own timeouts: 5 s, 120 s, never)`);
    expect(ms, `a client still alive 30 s after its owner died: ${children.filter(alive).join(', ')}\n${readLog(logFile)}`).toBeDefined();
    expect(ready.groups.map((g) => g.label).sort()).toEqual(['driver etcd3 of etcd', 'etcdctl op 1 (etcd)', 'etcdctl op 1 (etcd)', 'etcdctl watch (etcd)']);
    expect(ready.groups.map((g) => g.pgid).sort(), 'each client process leads its own registered group').toEqual(children.sort());
    // The log is complete only once the reaper has exited (it writes one line per group as it kills them).
    expect(await waitGone([ready.reaper], 30_000), 'the reaper exits after cleaning').toBeDefined();
    const log = readLog(logFile);
    const at = (pattern: string) => Date.parse(log.split('\n').find((l) => l.includes(pattern))?.slice(0, 24) ?? 'NaN');
    for (const g of ready.groups) {
      expect(log).toContain(`killed process group ${g.pgid} ("${g.label}")`);
      // Killed by the watchdog, not ended by their own timeout: the kill is logged before an op's own 5 s
      // (etcdctl's --command-timeout) have passed since it was registered; a watch has no timeout at all.
      if (g.label.startsWith('etcdctl op')) expect(at(`killed process group ${g.pgid} `) - at(`process group ${g.pgid} `)).toBeLessThan(5000);
    }
  } finally {
    for (const g of ready?.groups ?? []) forceKill(-g.pgid);
    if (ready) forceKill(ready.reaper);
    if (sub) forceKill(-sub.pid!);
    await sub;
    (await member).close();
  }
});

test('an etcdctl op that ends by itself unregisters its group: close() finds nothing left', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  const member = await blackhole();
  let sub: ResultPromise | undefined;
  try {
    const owner = await startOwner({ endpoint: member.address, logFile, end: 'finish' }, 'CLOSED ');
    sub = owner.sub;
    const result = JSON.parse(owner.lines.find((l) => l.startsWith('RESULT '))!.slice(7)) as { outcome: string; groups: { pgid: number }[] };
    expect(['fail', 'info'], 'the blackholed put timed out').toContain(result.outcome);
    expect(result.groups).toHaveLength(1);
    expect(JSON.parse(owner.line), 'nothing was still registered').toEqual([]);
    const log = readLog(logFile);
    expect(log).toMatch(new RegExp(`registered \\S+: process group ${result.groups[0]!.pgid} \\("etcdctl op 1 \\(etcd\\)"\\)`));
    expect(log).toMatch(new RegExp(`unregistered \\S+: process group ${result.groups[0]!.pgid}`));
    expect((await sub).exitCode, owner.lines.join('\n')).toBe(0);
  } finally {
    if (sub) forceKill(-sub.pid!);
    await sub;
    member.close();
  }
});

test('a guard that refuses an etcdctl: its group is killed and the refusal thrown, for an op and for a watch', async ({}, testInfo) => {
  const member = await blackhole();
  const seen: number[] = [];
  const refusing: ProcessGuard = {
    register: async (item) => {
      if (item.kind === 'pgid') seen.push(item.pgid);
      throw new WatchdogError('The watchdog (pid 1) is gone, so nothing new can be registered.');
    },
    unregister: async () => {},
  };
  const endpoints = [{ node: 'node-1', address: member.address }];
  try {
    const clock = startClock();
    const ctl = etcdctl({ guard: refusing, flags: ['--command-timeout=60s', '--dial-timeout=60s'], timeoutMs: 90_000, logFile: testInfo.outputPath('etcdctl.log') });
    await expect(ctl.run({ op: 'put', key: 'k', value: 'v' }, endpoints, clock)).rejects.toThrow(/The watchdog \(pid 1\) is gone/);
    await expect(ctl.watch!(endpoints, { clock, prefix: 'k', startRevision: 1 })).rejects.toThrow(/The watchdog \(pid 1\) is gone/);
    expect(clock.now(), 'killed at once, not after etcdctl\'s 60 s timeouts').toBeLessThan(20_000);
    expect(seen).toHaveLength(2);
    expect(seen.filter(alive)).toEqual([]);
    expect(await ourEtcdctlProcesses()).toEqual([]);
  } finally {
    for (const pid of seen) forceKill(-pid);
    member.close();
  }
});
