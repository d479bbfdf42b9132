// A normal end: what the owner unregistered is left alone, what it forgot is cleaned, the reaper exits.
import { test, expect } from '@playwright/test';
import { alive, cleanupOwner, readLog, startOwner, waitGone, type Owner } from './helpers.ts';

test('an owner that unregistered everything exits by itself; nothing is killed and the reaper exits', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ unregistered: ['sleep', 'grandchild'], end: 'exit', logFile });
    const result = await Promise.race([owner.sub, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000))]);
    expect(result, 'the watchdog client must not keep its owner alive').toBeDefined();
    expect(result!.exitCode, owner.lines.join('\n')).toBe(0);
    expect(await waitGone([owner.ready.reaper], 3000), 'the reaper exits').toBeDefined();
    const pids = owner.ready.unregistered.flatMap((g) => g.pids);
    expect(pids.filter(alive), 'unregistered groups are left alone').toEqual(pids);
    expect(readLog(logFile)).toContain('nothing was registered');
  } finally {
    await cleanupOwner(owner);
  }
});

test('close() cleans what is still registered, reports it, leaves unregistered groups alone', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ groups: ['sleep'], unregistered: ['sleep'], end: 'close', logFile });
    const result = await owner.sub;
    expect(result.exitCode, owner.lines.join('\n')).toBe(0);
    const closed = JSON.parse(owner.lines.find((l) => l.startsWith('CLOSED '))!.slice(7)) as string[];
    expect(closed[0]).toContain(`killed process group ${owner.ready.groups[0]!.pgid}`);
    expect(alive(owner.ready.groups[0]!.pgid)).toBe(false);
    expect(alive(owner.ready.unregistered[0]!.pgid)).toBe(true);
    expect(await waitGone([owner.ready.reaper], 3000), 'the reaper exits').toBeDefined();
    expect(readLog(logFile)).toContain('closed the watchdog with items still registered');
  } finally {
    await cleanupOwner(owner);
  }
});
