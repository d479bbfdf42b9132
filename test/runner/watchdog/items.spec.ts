// Everything else a run creates — dirs, commands, iptables chains, network namespaces — goes on owner death.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { cleanupOwner, readLog, startOwner, waitGone, type Owner } from './helpers.ts';

const isRoot = process.getuid?.() === 0;

async function has(bin: string): Promise<boolean> {
  return (await execa('sh', ['-c', `command -v ${bin}`], { reject: false, env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` } })).exitCode === 0;
}

async function sbin(argv: string[]): Promise<{ exitCode?: number; stderr: string }> {
  const r = await execa(argv[0]!, argv.slice(1), { reject: false, env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  return { exitCode: r.exitCode, stderr: String(r.stderr) };
}

async function killOwnerAndWaitForReaper(owner: Owner): Promise<void> {
  process.kill(owner.ready.owner, 'SIGKILL');
  expect(await waitGone([owner.ready.reaper], 5000), 'the reaper finishes and exits').toBeDefined();
}

test('a registered temp dir is removed when the owner is killed', async ({}, testInfo) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-wdtest-'));
  fs.mkdirSync(path.join(dir, 'node-1.data', 'member'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node-1.data', 'member', 'wal'), 'x');
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ items: [{ kind: 'dir', path: dir }], end: 'wait', logFile });
    expect(fs.existsSync(dir)).toBe(true);
    await killOwnerAndWaitForReaper(owner);
    expect(fs.existsSync(dir), readLog(logFile)).toBe(false);
    expect(readLog(logFile)).toContain(`removed directory ${dir}`);
  } finally {
    await cleanupOwner(owner);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a registered command runs once when the owner is killed', async ({}, testInfo) => {
  const marker = testInfo.outputPath('marker');
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ items: [{ kind: 'command', argv: ['touch', marker], label: 'touch marker' }], end: 'wait', logFile });
    expect(fs.existsSync(marker)).toBe(false);
    await killOwnerAndWaitForReaper(owner);
    expect(fs.existsSync(marker), readLog(logFile)).toBe(true);
    expect(readLog(logFile)).toContain('ran command "touch marker": exit code 0');
  } finally {
    await cleanupOwner(owner);
  }
});

test('a registered iptables chain and its jump are removed when the owner is killed', async ({}, testInfo) => {
  test.skip(!isRoot, 'needs root for iptables');
  test.skip(!(await has('iptables')), 'iptables is not installed');
  const chain = `FAULTLINE-WDTEST${randomBytes(4).toString('hex')}`;
  const port = await unusedPort();
  const jump = ['INPUT', '-i', 'lo', '-p', 'tcp', '--dport', String(port), '-j', chain];
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    expect((await sbin(['iptables', '-w', '-N', chain])).exitCode).toBe(0);
    expect((await sbin(['iptables', '-w', '-A', ...jump])).exitCode).toBe(0);
    owner = await startOwner({ items: [{ kind: 'iptables-chain', chain, jumps: [jump] }], end: 'wait', logFile });
    await killOwnerAndWaitForReaper(owner);
    expect((await sbin(['iptables', '-w', '-C', ...jump])).exitCode, `the jump is gone\n${readLog(logFile)}`).not.toBe(0);
    expect((await sbin(['iptables', '-w', '-S', chain])).exitCode, 'the chain is gone').not.toBe(0);
    expect(readLog(logFile)).toContain(`removed iptables chain "${chain}"`);
  } finally {
    await cleanupOwner(owner);
    while ((await sbin(['iptables', '-w', '-D', ...jump])).exitCode === 0);
    await sbin(['iptables', '-w', '-F', chain]);
    await sbin(['iptables', '-w', '-X', chain]);
  }
});

test('a registered network namespace is deleted when the owner is killed', async ({}, testInfo) => {
  test.skip(!isRoot, 'needs root for ip netns');
  test.skip(!(await has('ip')), 'iproute2 (ip) is not installed');
  const name = `faultline-wdtest-${randomBytes(4).toString('hex')}`;
  const added = await sbin(['ip', 'netns', 'add', name]);
  test.skip(added.exitCode !== 0, `ip netns add is not permitted here: ${added.stderr}`);
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ items: [{ kind: 'netns', name }], end: 'wait', logFile });
    await killOwnerAndWaitForReaper(owner);
    expect(fs.existsSync(`/run/netns/${name}`), readLog(logFile)).toBe(false);
  } finally {
    await cleanupOwner(owner);
    await sbin(['ip', 'netns', 'delete', name]);
  }
});

async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
