// The watchdog's promise: whatever way the owner dies, its registered process groups die with it.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { alive, cleanupOwner, forceKill, readLog, startOwner, waitGone, type Owner } from './helpers.ts';

test('a SIGKILLed owner: its groups, grandchildren included, are gone within 3 s and the reaper exits', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ groups: ['sleep', 'grandchild'], end: 'wait', logFile });
    const pids = owner.ready.groups.flatMap((g) => g.pids);
    expect(pids).toHaveLength(3);
    expect(pids.filter(alive)).toEqual(pids);
    const t0 = performance.now();
    process.kill(owner.ready.owner, 'SIGKILL');
    const ms = await waitGone(pids, 3000);
    console.log(`owner SIGKILL → 2 process groups (3 processes) gone in ${ms === undefined ? 'MORE THAN 3000' : ms.toFixed(1)} ms (from kill: ${(performance.now() - t0).toFixed(1)} ms)`);
    expect(ms, `still alive: ${pids.filter(alive).join(', ')}\n${readLog(logFile)}`).toBeDefined();
    expect(await waitGone([owner.ready.reaper], 2000), 'the reaper exits after cleaning').toBeDefined();
    const log = readLog(logFile);
    expect(log).toContain('connection closed without "close"');
    for (const g of owner.ready.groups) expect(log).toContain(`killed process group ${g.pgid}`);
  } finally {
    await cleanupOwner(owner);
  }
});

test('a SIGSTOPped group (a paused node) is killed too, without SIGCONT', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ groups: ['paused'], end: 'wait', logFile });
    const [pid] = owner.ready.groups[0]!.pids;
    await expect.poll(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0], { message: 'the node is stopped' }).toBe('T');
    process.kill(owner.ready.owner, 'SIGKILL');
    const ms = await waitGone([pid!], 3000);
    console.log(`owner SIGKILL → stopped group gone in ${ms === undefined ? 'MORE THAN 3000' : ms.toFixed(1)} ms`);
    expect(ms, readLog(logFile)).toBeDefined();
  } finally {
    await cleanupOwner(owner);
  }
});

test('an owner that crashes with an uncaught exception: what it registered is cleaned', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ groups: ['sleep', 'grandchild'], end: 'throw', logFile });
    const pids = owner.ready.groups.flatMap((g) => g.pids);
    const result = await owner.sub;
    expect(result.exitCode, owner.lines.join('\n')).toBe(1);
    expect(owner.lines.join('\n')).toContain('fixture crash');
    expect(await waitGone(pids, 3000), readLog(logFile)).toBeDefined();
  } finally {
    await cleanupOwner(owner);
  }
});

test('a registration written just before the owner SIGKILLs itself (ack never read) is still honoured', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ groups: ['sleep', 'grandchild'], end: 'self-kill-unacked', logFile });
    const pids = owner.ready.groups.flatMap((g) => g.pids);
    const result = await owner.sub;
    expect(result.signal).toBe('SIGKILL');
    expect(await waitGone(pids, 3000), `still alive: ${pids.filter(alive).join(', ')}\n${readLog(logFile)}`).toBeDefined();
    expect(readLog(logFile)).toMatch(/registered .*process group/);
  } finally {
    await cleanupOwner(owner);
  }
});

test('second trigger: a watched pid that dies (alsoWatch, checked by liveness) cleans up although the owner lives', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  const watched = execa('sleep', ['300'], { detached: true, cleanup: false, reject: false, stdio: 'ignore' });
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ groups: ['sleep'], alsoWatch: [watched.pid!], end: 'wait', logFile });
    process.kill(watched.pid!, 'SIGKILL');
    const ms = await waitGone(owner.ready.groups[0]!.pids, 3000);
    console.log(`watched pid SIGKILL → group gone in ${ms === undefined ? 'MORE THAN 3000' : ms.toFixed(1)} ms (liveness every 200 ms + 250 ms drain)`);
    expect(ms, readLog(logFile)).toBeDefined();
    expect(alive(owner.ready.owner), 'the owner itself is not touched').toBe(true);
    expect(readLog(logFile)).toContain(`pid ${watched.pid} is gone; cleaning 1 item(s)`);
  } finally {
    await cleanupOwner(owner);
    forceKill(watched.pid);
    await watched;
  }
});
