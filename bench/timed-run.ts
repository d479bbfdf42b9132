// Runs a command once and says what it cost: wall time, CPU time and peak RSS (through GNU time when
// installed), so benches can state memory figures and CPU next to wall clocks on a loaded machine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One run's cost; `cpuMs` and `rssMb` are undefined without /usr/bin/time. */
export interface TimedRun {
  code: number | null;
  signal: string | null;
  wallMs: number;
  cpuMs?: number;
  rssMb?: number;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** True when peak RSS and CPU time can be measured. */
export const canMeasureMemory = fs.existsSync(GNU_TIME);

/** Runs `cmd args` to completion (or `timeoutMs`), measuring it. */
export function timedRun(cmd: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): TimedRun {
  const report = path.join(os.tmpdir(), `faultline-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const argv = canMeasureMemory ? [GNU_TIME, '-o', report, '-f', '%U %S %M', cmd, ...args] : [cmd, ...args];
  const started = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: options.cwd, encoding: 'utf8', timeout: options.timeoutMs, maxBuffer: 256 << 20 });
  const wallMs = performance.now() - started;
  const run: TimedRun = { code: r.status, signal: r.signal, wallMs, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (canMeasureMemory && fs.existsSync(report)) {
    const last = fs.readFileSync(report, 'utf8').trim().split('\n').pop() ?? '';
    const [user, sys, rssKb] = last.split(' ').map(Number);
    if (Number.isFinite(user) && Number.isFinite(sys)) run.cpuMs = (user! + sys!) * 1000;
    if (Number.isFinite(rssKb)) run.rssMb = rssKb! / 1024;
    fs.rmSync(report, { force: true });
  }
  return run;
}
