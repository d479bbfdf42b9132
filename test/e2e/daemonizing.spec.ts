// A service whose launch script daemonizes its server (setsid … & and exit; test/fixtures/daemonizing) is still
// contained: each node is its cgroup, so kill, pause and teardown reach the daemon, with and without the inherited
// stdout, after a pass, after a failure and after SIGKILL of the runner or of its worker.
import fs from 'node:fs';
import type { ResultPromise } from 'execa';
import { test, expect } from '@playwright/test';
import { cgroupUnavailable } from '../../runner/process/cgroup.ts';
import { etcdProcessesUnder, runChild, startChildUntil } from './child-run.ts';
import { PORT_BASES } from './port-bases.ts';
import { cgroupOf, cgroupOwner, faultlineCgroups, tmpLeftBy, watchdogLog } from './watchdog-dirs.ts';

interface Event { t: number; kind: string; node?: string; detail?: string; pid?: number; exitCode?: number }

const why = cgroupUnavailable();
test.skip(why !== undefined, `nodes run in process groups here (${why}): a daemonized server escapes them`);

const env = (base: number) => ({ FAULTLINE_PORT_BASE: String(base), FAULTLINE_SERVICES: 'test/fixtures/daemonizing/services.json', FAULTLINE_SPECS: 'test/fixtures/daemonizing' });

/** Cgroups of workers that are gone: a run that died left them (none may). */
const orphanCgroups = () => faultlineCgroups().filter((d) => !fs.existsSync(`/proc/${cgroupOwner(d)}`));

test('daemonized nodes, keeping stdout or not: kill, pause and restart reach the daemon; a pass and a failure leave nothing', async ({}, testInfo) => {
  test.setTimeout(360_000); // four child tests of two nodes each, on a loaded machine
  const out = testInfo.outputPath('child');
  const t0 = Date.now();
  const { tests, stdout } = await runChild(out, ['--grep', 'D1|D2', '--workers=1'], env(PORT_BASES.daemonizing));
  const wall = Date.now() - t0;
  expect(tests.map((t) => `${t.project} ${t.title.split(' ')[0]} ${t.status}`).sort(), stdout).toEqual(['iam D1 passed', 'iam D2 failed', 'plasmavmc D1 passed', 'plasmavmc D2 failed']);
  for (const t of tests) {
    const { events } = JSON.parse(t.bodies['events.json']!) as { events: Event[] };
    // The launcher exits at once; the node ran on in its daemon until the kill or the teardown ended it.
    const exits = events.filter((e) => e.kind === 'exit');
    expect(exits.length, `${t.project} ${t.title}: one exit per node start`).toBe(events.filter((e) => e.kind === 'spawn').length);
    // The launcher exited with 0 at once; what ended each node was the kill or the teardown, never the launcher.
    for (const e of exits) expect(e.exitCode, `${t.project} ${t.title} ${e.node}`).toBe(0);
    if (t.title.startsWith('D1')) {
      const kill = events.find((e) => e.kind === 'signal' && e.node === 'node-1' && e.detail === 'SIGKILL')!;
      const exit = events.find((e) => e.kind === 'exit' && e.node === 'node-1')!;
      expect(exit.t, 'node-1 counts as stopped only after its daemon died, after the kill').toBeGreaterThanOrEqual(kill.t);
    }
    // D2's failure is its own expectation, not a teardown that hung on a pipe the daemon kept.
    if (t.title.startsWith('D2')) expect(t.error).toContain('Expected to read "d/a" = "not-what-was-written", read "v1"');
  }
  console.log(`4 child tests (2 × keep-stdout / own-stdout) in ${wall} ms`);
  expect(await etcdProcessesUnder(out), 'no daemonized etcd left').toEqual([]);
  expect(orphanCgroups(), 'no cgroup of a finished worker left').toEqual([]);
});

/** Starts D3 (daemonized nodes held forever) in a child runner; resolves once its nodes are up. */
async function startHeld(out: string, project: string): Promise<{ runner: ResultPromise; daemons: number[]; worker: number }> {
  const { runner } = await startChildUntil(out, [`--project=${project}`, '--grep', 'D3', '--workers=1'], env(PORT_BASES.daemonizingKill));
  const daemons = (await etcdProcessesUnder(out)).map((l) => Number(l.split(' ')[0]));
  // Daemonized: their parent is not the worker any more; their cgroup names it (faultline-<worker>-<hex>/node-i-n).
  return { runner, daemons, worker: cgroupOwner(cgroupOf(daemons[0]!)) };
}

for (const [how, project] of [['the runner', 'iam'], ['the worker (no teardown: the watchdog acts)', 'plasmavmc']] as const) {
  test(`SIGKILL of ${how} while daemonized nodes run (${project}) leaves nothing, in /tmp neither`, async ({}, testInfo) => {
    test.setTimeout(240_000);
    const out = testInfo.outputPath('child');
    const { runner, daemons, worker } = await startHeld(out, project);
    try {
      expect(daemons, 'two daemonized etcd').toHaveLength(2);
      for (const pid of daemons) {
        expect(Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]), 'the daemon left the runner (not its child)').not.toBe(worker);
        expect(cgroupOf(pid)).toMatch(new RegExp(`^/faultline-${worker}-[0-9a-f]+/node-[12]-\\d+$`));
      }
      if (project === 'plasmavmc') process.kill(worker, 'SIGKILL');
      runner.kill('SIGKILL');
      const t0 = Date.now();
      await expect.poll(() => etcdProcessesUnder(out), { timeout: 15_000 }).toEqual([]);
      console.log(`SIGKILL of ${how} → daemonized etcd gone after ${Date.now() - t0} ms`);
      await expect.poll(() => faultlineCgroups().filter((d) => cgroupOwner(d) === worker), { timeout: 15_000, message: 'the worker\'s cgroups are removed' }).toEqual([]);
      await expect.poll(() => tmpLeftBy(worker), { timeout: 15_000, message: 'nothing of the run in /tmp' }).toEqual([]);
      if (project === 'plasmavmc') expect(watchdogLog(out, worker)).toMatch(/killed cgroup \S+faultline-\d+-[0-9a-f]+ \("nodes of pid \d+"\) with cgroup\.kill \(pids [\d, ]+\)/);
    } finally {
      runner.kill('SIGKILL');
      await runner;
      for (const pid of daemons) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      }
    }
  });
}
