// Whatever way the runner or a worker dies mid-fault, nothing the run started survives it:
// the worker's fixture teardown or, when that cannot run, the worker's watchdog cleans up.
import fs from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { test, expect } from '@playwright/test';
import { etcdProcessesUnder } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';

const CLI = path.resolve('node_modules/@playwright/test/cli.js');

/** Starts the frozen-forever fixture in a child runner; resolves once node-2 is paused. */
async function startFrozen(out: string, portBase: number, extra: string[] = [], fixture = 'frozen-forever'): Promise<{ runner: ResultPromise; etcd: string[] }> {
  fs.mkdirSync(out, { recursive: true });
  const runner = execa('node', [CLI, 'test', '-c', 'test/fixtures/scenarios.config.ts', '--project=etcd', fixture, '--reporter=line', ...extra], {
    reject: false,
    all: true,
    env: { FAULTLINE_CHILD_OUT: path.resolve(out), FAULTLINE_PORT_BASE: String(portBase) },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child run never got ready:\n${output}`)), 60_000);
    runner.all!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('FAULTLINE-FIXTURE-READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const etcd = await etcdProcessesUnder(out);
  return { runner, etcd };
}

async function expectNoneLeft(out: string): Promise<number> {
  const t0 = Date.now();
  await expect.poll(() => etcdProcessesUnder(out), { timeout: 10_000, intervals: [100, 250, 500] }).toEqual([]);
  return Date.now() - t0;
}

/** The child's worker: the parent of its etcd processes. */
function workerPid(etcdLine: string): number {
  const pid = Number(etcdLine.split(' ')[0]);
  return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
}

test('SIGKILL of the Playwright runner mid-fault (node-2 frozen) leaves no etcd', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner, etcd } = await startFrozen(out, PORT_BASES.runnerSigkill);
  expect(etcd).toHaveLength(3);
  runner.kill('SIGKILL');
  console.log(`runner SIGKILL → all etcd gone after ${await expectNoneLeft(out)} ms`);
});

test('Ctrl-C (SIGINT) of the runner leaves no etcd', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner, etcd } = await startFrozen(out, PORT_BASES.runnerSigint);
  expect(etcd).toHaveLength(3);
  runner.kill('SIGINT');
  console.log(`runner SIGINT → all etcd gone after ${await expectNoneLeft(out)} ms`);
  await runner;
});

test('a worker crash (SIGKILL of the worker) leaves no etcd', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner, etcd } = await startFrozen(out, PORT_BASES.workerCrash);
  process.kill(workerPid(etcd[0]!), 'SIGKILL');
  console.log(`worker SIGKILL → all etcd gone after ${await expectNoneLeft(out)} ms`);
  runner.kill('SIGKILL');
});

test('a test timeout tears the run down and leaves no etcd', async ({}, testInfo) => {
  const out = testInfo.outputPath('child');
  const { runner } = await startFrozen(out, PORT_BASES.testTimeout, ['--timeout=15000']);
  const r = await runner;
  expect(r.all).toContain('Test timeout of 15000ms exceeded');
  expect(await etcdProcessesUnder(out)).toEqual([]);
});

test('SIGKILL of the runner while a port is blocked leaves no etcd and no iptables chain', async ({}, testInfo) => {
  test.skip(process.getuid?.() !== 0, 'iptables needs root');
  const out = testInfo.outputPath('child');
  const { runner, etcd } = await startFrozen(out, PORT_BASES.blockedSigkill, [], 'blocked-forever');
  const worker = workerPid(etcd[0]!);
  const chains = async () => (await execa('iptables', ['-w', '-S'])).stdout.split('\n').filter((l) => l.includes(`FAULTLINE-${worker}-`));
  expect(await chains(), 'the blocked port lives in the run\'s own chain while the test runs').not.toEqual([]);
  expect((await chains()).join('\n')).toMatch(/-p tcp -m tcp --dport \d+ -j DROP/);
  runner.kill('SIGKILL');
  await expectNoneLeft(out);
  await expect.poll(chains, { timeout: 10_000 }).toEqual([]);
});
