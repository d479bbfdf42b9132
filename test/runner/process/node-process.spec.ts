// A node is all of its processes: in its own cgroup a launcher's daemon is still the node (kill, pause and
// the node's exit reach it); without a cgroup, the node's exit never waits on a pipe the daemon keeps.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { cgroupUnavailable } from '../../../runner/process/cgroup.ts';
import { startClock } from '../../../runner/time/clock.ts';
import { EventLog } from '../../../runner/records/events.ts';
import { NodeProcess, type Containment } from '../../../runner/process/node-process.ts';
import type { NodeSpec } from '../../../runner/contract/service.ts';

const LAUNCHER = path.resolve('test/runner/fixtures/daemonize.sh');

/** /proc/<pid>/stat's state letter, undefined when the pid is gone (or a zombie). */
function state(pid: number): string | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return s === 'Z' ? undefined : s;
  } catch {
    return undefined;
  }
}

async function spawn(mode: string, contain: Containment, dir: string, tag: string): Promise<{ proc: NodeProcess; events: EventLog }> {
  const events = new EventLog(startClock());
  const spec: NodeSpec = { name: 'node-1', index: 1, dataDir: path.join(dir, 'data'), logFile: path.join(dir, 'node-1.log'), ports: {} };
  const proc = await NodeProcess.spawn(spec, { command: LAUNCHER, args: [mode], env: { ...process.env, FAULTLINE_TEST_LAUNCHER: tag } as Record<string, string> }, events, undefined, contain);
  return { proc, events };
}

test.describe('in its own cgroup', () => {
  test.skip(cgroupUnavailable() !== undefined, `no cgroup here: ${cgroupUnavailable()}`);

  for (const mode of ['keep-stdout', 'own-stdout']) {
    test(`a daemonized child (${mode}) is the node: it runs on, pause stops it, kill ends it, then the node has exited`, async ({}, testInfo) => {
      const { proc, events } = await spawn(mode, 'auto', testInfo.outputPath(), `${process.pid}-${testInfo.testId}`);
      expect(proc.containment).toMatch(/^cgroup \/\S+\/faultline-\d+-[0-9a-f]+\/node-1-\d+$/);
      await expect.poll(() => state(proc.pid), { message: 'the launcher exits at once' }).toBeUndefined();
      const [daemon = 0, ...others] = proc.pids();
      expect(daemon, 'the daemon is in the node\'s cgroup').toBeGreaterThan(0);
      expect(others).toEqual([]);
      expect(proc.running, 'the daemon keeps the node running after its launcher exited').toBe(true);
      expect(proc.signal('SIGSTOP')).toBe(true);
      await expect.poll(() => state(daemon)).toBe('T');
      expect(proc.signal('SIGCONT')).toBe(true);
      await expect.poll(() => state(daemon)).not.toBe('T');
      await proc.destroy();
      expect(state(daemon), 'the daemon is gone once the node has exited').toBeUndefined();
      expect(fs.existsSync(proc.cgroup!.path), 'the node\'s cgroup is removed').toBe(false);
      // The launcher's own exit (code 0) is what the node reports; the node ended only with the kill.
      const exit = events.events.find((e) => e.kind === 'exit')!;
      const kill = events.events.find((e) => e.kind === 'signal' && e.detail === 'SIGKILL')!;
      expect(exit.exitCode).toBe(0);
      expect(exit.t).toBeGreaterThanOrEqual(kill.t);
    });
  }
});

test('without a cgroup (process group), the node exits with its launcher even when the daemon keeps the stdout pipe', async ({}, testInfo) => {
  const tag = `${process.pid}-${testInfo.testId}`;
  const { proc } = await spawn('keep-stdout', 'process-group', testInfo.outputPath(), tag);
  let escaped: number[] = [];
  try {
    expect(proc.containment).toBe('process group (asked for)');
    // Not execa's promise (it waits for the pipes): the exit and a short drain, then the pipes are closed by us.
    const info = await proc.exited;
    expect(info.exitCode).toBe(0);
    expect(proc.lines.map((l) => l.line)).toContain(`launcher ${proc.pid} exits`);
    // The known limit of process groups, and why cgroups are used where they can be: the daemon escaped.
    escaped = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`FAULTLINE_TEST_LAUNCHER=${tag}\u0000`) && state(pid) !== undefined;
      } catch {
        return false;
      }
    });
    expect(escaped.length, 'the daemon left the group').toBeGreaterThan(0);
  } finally {
    for (const pid of escaped) process.kill(pid, 'SIGKILL');
  }
});
