// Ctrl-C, kill -9 of the Playwright runner or of a worker: the worker's watchdog still removes the worker's groups.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { alive, forceKill, readLog, waitGone } from './helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');

interface ChildReady {
  worker: number;
  runner: number;
  group: number;
  reaper: number;
}

const HOW = { runner: 'kill -9 of the Playwright runner', worker: 'kill -9 of the Playwright worker', 'ctrl-c': 'Ctrl-C (SIGINT to the run\'s process group)' } as const;

for (const victim of ['runner', 'worker', 'ctrl-c'] as const) {
  test(`${HOW[victim]}: the worker's registered group is gone`, async ({}, testInfo) => {
    const out = testInfo.outputPath('child');
    fs.mkdirSync(out, { recursive: true });
    // The runner itself (not npx) in its own group, so the finally block can remove the whole child run.
    const run = execa(process.execPath, [cli, 'test', '-c', path.join(here, 'fixtures', 'runner-kill.config.ts')], {
      detached: true,
      cleanup: false,
      reject: false,
      all: true,
      env: { FAULTLINE_WD_CHILD_OUT: out },
    });
    let ready: ChildReady | undefined;
    try {
      const file = path.join(out, 'ready.json');
      await expect.poll(() => fs.existsSync(file), { timeout: 30_000, message: 'the child worker registered its group' }).toBe(true);
      ready = JSON.parse(fs.readFileSync(file, 'utf8')) as ChildReady;
      expect(ready.runner).toBe(run.pid);
      expect(alive(ready.group)).toBe(true);
      if (victim === 'ctrl-c') process.kill(-run.pid!, 'SIGINT');
      else process.kill(victim === 'runner' ? ready.runner : ready.worker, 'SIGKILL');
      const ms = await waitGone([ready.group], 10_000);
      console.log(`${HOW[victim]} → worker's group gone in ${ms === undefined ? 'MORE THAN 10000' : ms.toFixed(1)} ms`);
      expect(ms, readLog(path.join(out, 'reaper.log'))).toBeDefined();
      expect(await waitGone([ready.reaper], 5000)).toBeDefined();
      console.log(readLog(path.join(out, 'reaper.log')).split('\n').filter((l) => /cleaning|gone after/.test(l)).join('\n'));
    } finally {
      forceKill(-run.pid!);
      if (ready) {
        forceKill(-ready.group);
        forceKill(ready.worker);
        await waitGone([ready.reaper], 5000);
        forceKill(ready.reaper);
      }
      await run;
    }
  });
}
