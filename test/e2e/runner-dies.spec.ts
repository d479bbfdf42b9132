// Whatever way the runner or a worker dies mid-fault, nothing the run started survives it:
// the worker's fixture teardown or, when that cannot run, the worker's watchdog cleans up.
import fs from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { test, expect } from '@playwright/test';
import { alive, forceKill, waitGone } from '../runner/watchdog/helpers.ts';
import { etcdProcessesUnder, startChildUntil } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';
import { tmpLeftBy, watchdogLog } from './watchdog-dirs.ts';

/** Starts the frozen-forever fixture in a child runner; resolves once node-2 is paused. */
async function startFrozen(out: string, portBase: number, extra: string[] = [], fixture = 'frozen-forever'): Promise<{ runner: ResultPromise; etcd: string[]; worker: number }> {
  const { runner } = await startChildUntil(out, ['--project=etcd', fixture, ...extra], { FAULTLINE_PORT_BASE: String(portBase) });
  const etcd = await etcdProcessesUnder(out);
  return { runner, etcd, worker: workerPid(etcd[0]!) };
}

async function expectNoneLeft(out: string): Promise<number> {
  const t0 = Date.now();
  await expect.poll(() => etcdProcessesUnder(out), { timeout: 10_000, intervals: [100, 250, 500] }).toEqual([]);
  return Date.now() - t0;
}

/**
 * What the watchdog of `worker` kept once it is done: its log under the child's test-results when it had to clean
 * up (a worker that died without its teardown), '' otherwise — and never anything in /tmp (checked here).
 */
async function keptByWatchdog(out: string, worker: number): Promise<string> {
  await expect.poll(() => tmpLeftBy(worker), { timeout: 10_000, message: `the watchdog of worker ${worker} exits and leaves nothing in /tmp` }).toEqual([]);
  return watchdogLog(out, worker);
}

/** The worker died without its teardown: its watchdog cleaned up, killing each of `pids` (in a group or a cgroup). */
function expectCleanedBy(log: string, pids: number[], label: string): void {
  expect(log, 'the watchdog keeps its log in test-results when it had to clean up').toMatch(/; cleaning \d+ item\(s\)/);
  for (const pid of pids) {
    const inGroup = log.includes(`process group ${pid} ("${label}`);
    const inCgroup = new RegExp(`killed cgroup .* \\(pids [\\d, ]*\\b${pid}\\b`).test(log);
    expect(inGroup || inCgroup, `pid ${pid} killed by the watchdog:\n${log}`).toBe(true);
  }
}

/** The child's worker: the parent of its etcd processes. */
function workerPid(etcdLine: string): number {
  const pid = Number(etcdLine.split(' ')[0]);
  return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
}

test('SIGKILL of the Playwright runner mid-fault (node-2 frozen) leaves no etcd', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner, etcd, worker } = await startFrozen(out, PORT_BASES.runnerSigkill);
  expect(etcd).toHaveLength(3);
  runner.kill('SIGKILL');
  console.log(`runner SIGKILL → all etcd gone after ${await expectNoneLeft(out)} ms`);
  // Measured: the orphaned worker still runs its teardown, so its watchdog has nothing to keep.
  await keptByWatchdog(out, worker);
});

test('Ctrl-C (SIGINT) of the runner leaves no etcd', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner, etcd, worker } = await startFrozen(out, PORT_BASES.runnerSigint);
  expect(etcd).toHaveLength(3);
  runner.kill('SIGINT');
  console.log(`runner SIGINT → all etcd gone after ${await expectNoneLeft(out)} ms`);
  await runner;
  await keptByWatchdog(out, worker);
});

test('a worker crash (SIGKILL of the worker) leaves no etcd', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner, etcd, worker } = await startFrozen(out, PORT_BASES.workerCrash);
  process.kill(worker, 'SIGKILL');
  console.log(`worker SIGKILL → all etcd gone after ${await expectNoneLeft(out)} ms`);
  runner.kill('SIGKILL');
  // A node may be gone before the watchdog acts: etcd dies of SIGPIPE once it logs to the dead worker's pipe.
  const log = await keptByWatchdog(out, worker);
  expect(log).toMatch(/killed (process group \d+ \("node-|cgroup )/);
});

test('a worker crash while etcdctl clients under test run (a watch, a put stuck on a frozen member) leaves no etcdctl', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner, worker } = await startFrozen(out, PORT_BASES.etcdctlWorkerCrash, ['--workers=1'], 'etcdctl-forever');
  let pids: number[] = [];
  try {
    const etcdctl = (await execa('pgrep', ['-a', '-P', String(worker), '-x', 'etcdctl'], { reject: false })).stdout.split('\n').filter(Boolean);
    pids = etcdctl.map((l) => Number(l.split(' ')[0]));
    expect(etcdctl.map((l) => / (watch|put) /.exec(l)?.[1]).sort(), etcdctl.join('\n')).toEqual(['put', 'watch']);
    process.kill(worker, 'SIGKILL');
    const ms = await waitGone(pids, 3000);
    console.log(`worker SIGKILL → etcdctl watch and put gone after ${ms === undefined ? 'MORE THAN 3000' : ms.toFixed(1)} ms (on their own: never, and 5 s)`);
    expect(ms, `etcdctl still running 3 s after its worker died: ${pids.filter(alive).join(', ')}`).toBeDefined();
    await expectNoneLeft(out);
    expectCleanedBy(await keptByWatchdog(out, worker), pids, 'etcdctl '); // the watch and the put
  } finally {
    for (const pid of [...pids, worker]) forceKill(pid);
    runner.kill('SIGKILL');
    await runner;
    await keptByWatchdog(out, worker);
  }
});

test('a test timeout tears the run down and leaves no etcd', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner, worker } = await startFrozen(out, PORT_BASES.testTimeout, ['--timeout=15000']);
  const r = await runner;
  expect(r.all).toContain('Test timeout of 15000ms exceeded');
  expect(await etcdProcessesUnder(out)).toEqual([]);
  await keptByWatchdog(out, worker);
});

test('SIGKILL of the runner while a port is blocked leaves no etcd and no iptables chain', async ({}, testInfo) => {
  test.skip(process.getuid?.() !== 0, 'iptables needs root');
  const out = testInfo.outputPath('child');
  const { runner, worker } = await startFrozen(out, PORT_BASES.blockedSigkill, [], 'blocked-forever');
  const chains = async () => (await execa('iptables', ['-w', '-S'])).stdout.split('\n').filter((l) => l.includes(`FAULTLINE-${worker}-`));
  expect(await chains(), 'the blocked port lives in the run\'s own chain while the test runs').not.toEqual([]);
  expect((await chains()).join('\n')).toMatch(/-p tcp -m tcp --dport \d+ -j DROP/);
  runner.kill('SIGKILL');
  await expectNoneLeft(out);
  await expect.poll(chains, { timeout: 10_000 }).toEqual([]);
  await keptByWatchdog(out, worker);
});
