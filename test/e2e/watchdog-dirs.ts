// What a child run's watchdog leaves: its log under the child's test-results (runner/fixture.ts puts it there,
// only when it had to clean up) and nothing in /tmp. Other runs on this machine are told apart by the pid in
// every name (faultline-watchdog-<owner>-*, faultline-nodes-<owner>-*).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Everything in the temp dir that the run of worker `owner` made and that still exists. */
export function tmpLeftBy(owner: number): string[] {
  return fs.readdirSync(os.tmpdir())
    .filter((n) => n.startsWith(`faultline-watchdog-${owner}-`) || n.startsWith(`faultline-nodes-${owner}-`))
    .map((n) => path.join(os.tmpdir(), n));
}

/** The log the watchdog of worker `owner` kept in the child's output dir ('' when it had nothing to clean). */
export function watchdogLog(childOut: string, owner: number): string {
  try {
    return fs.readFileSync(path.join(childOut, 'output', `watchdog-${owner}.log`), 'utf8');
  } catch {
    return '';
  }
}

/** The cgroups of Faultline's workers that exist now (/sys/fs/cgroup/unified/faultline-<pid>-*). */
export function faultlineCgroups(): string[] {
  const mount = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')).find((f) => f[2] === 'cgroup2')?.[1];
  if (!mount) return [];
  return fs.readdirSync(mount).filter((n) => n.startsWith('faultline-')).map((n) => path.join(mount, n));
}

/** The worker pid in a cgroup name faultline-<pid>-<hex>. */
export function cgroupOwner(dir: string): number {
  return Number(/faultline-(\d+)-/.exec(dir)?.[1]);
}

/** The cgroup v2 path of `pid` (from /proc/<pid>/cgroup), '' when it is gone. */
export function cgroupOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.startsWith('0::'))?.slice(3) ?? '';
  } catch {
    return '';
  }
}
