// The watchdog never kills what it was not told about, and refuses registrations it could not undo safely.
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { WatchdogClient } from '../../../runner/watchdog/client.ts';
import { validateWatchItem, type WatchItem } from '../../../runner/watchdog/watch-item.ts';
import { alive, cleanupOwner, forceKill, readLog, startOwner, waitGone, type Owner } from './helpers.ts';

test('an unregistered process group survives the owner\'s death; the registered one does not', async ({}, testInfo) => {
  const logFile = testInfo.outputPath('reaper.log');
  const bystander = execa('sleep', ['300'], { detached: true, cleanup: false, reject: false, stdio: 'ignore' });
  let owner: Owner | undefined;
  try {
    owner = await startOwner({ groups: ['sleep'], unregistered: ['sleep'], end: 'wait', logFile });
    process.kill(owner.ready.owner, 'SIGKILL');
    expect(await waitGone(owner.ready.groups[0]!.pids, 3000), readLog(logFile)).toBeDefined();
    expect(await waitGone([owner.ready.reaper], 3000)).toBeDefined();
    expect(alive(bystander.pid!), 'a group nobody registered').toBe(true);
    expect(alive(owner.ready.unregistered[0]!.pgid), 'a group that was unregistered').toBe(true);
  } finally {
    await cleanupOwner(owner);
    forceKill(-bystander.pid!);
    await bystander;
  }
});

test('the reaper refuses groups it must never kill: a non-leader, its owner\'s own group, a dead group', async () => {
  const wd = await WatchdogClient.start();
  const child = execa('sleep', ['300'], { cleanup: false, reject: false, stdio: 'ignore' }); // not detached: in our group
  try {
    await expect(wd.register({ kind: 'pgid', pgid: child.pid! })).rejects.toThrow(/does not lead a process group .* start it with detached: true/);
    await expect(wd.register({ kind: 'pgid', pgid: process.pid })).rejects.toThrow(/does not lead a process group|group of the watchdog's owner/);
    const ownGroup = Number((await import('node:fs')).readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[2]);
    await expect(wd.register({ kind: 'pgid', pgid: ownGroup })).rejects.toThrow(/the watchdog never kills its owner/);
    const done = execa('true', [], { detached: true, reject: false });
    await done;
    await expect(wd.register({ kind: 'pgid', pgid: done.pid! })).rejects.toThrow(/does not exist \(any more\): register a group right after spawning it/);
    await expect(wd.unregister('nope')).rejects.toThrow(/registration "nope" is unknown/);
    expect(await wd.close(), 'nothing was accepted, so nothing is cleaned').toEqual([]);
    await expect(wd.register({ kind: 'dir', path: '/tmp/x/y' })).rejects.toThrow(/The watchdog was closed/);
    expect(await waitGone([wd.pid], 3000)).toBeDefined();
    expect(alive(child.pid!)).toBe(true);
  } finally {
    await wd.close();
    forceKill(child.pid);
    await child;
  }
});

test('items the reaper could not undo safely are rejected before they are sent, with the fix', () => {
  const bad: [WatchItem, RegExp][] = [
    [{ kind: 'dir', path: '/tmp' }, /at least two levels deep.*\n  Fix: register the run's own directory/],
    [{ kind: 'dir', path: 'relative/dir' }, /absolute/],
    [{ kind: 'dir', path: '/tmp/a/../..' }, /normalised/],
    [{ kind: 'pgid', pgid: 1 }, /above 1/],
    [{ kind: 'pgid', pgid: -5 }, /above 1/],
    [{ kind: 'iptables-chain', chain: 'FAULTLINE-X', jumps: [['INPUT', '-j', 'DROP']] }, /does not jump to "FAULTLINE-X".*\n  Fix: give each jump as passed to iptables -A/],
    [{ kind: 'iptables-chain', chain: 'bad chain', jumps: [] }, /not valid/],
    [{ kind: 'netns', name: 'a/b' }, /not valid/],
    [{ kind: 'command', argv: [] }, /non-empty argv/],
  ];
  for (const [item, message] of bad) expect(() => validateWatchItem(item), JSON.stringify(item)).toThrow(message);
  expect(() => validateWatchItem({ kind: 'dir', path: '/tmp/faultline-run-1/' })).not.toThrow();
  expect(() => validateWatchItem({ kind: 'iptables-chain', chain: 'FAULTLINE-X', jumps: [['INPUT', '-i', 'lo', '-j', 'FAULTLINE-X']] })).not.toThrow();
});
