// Who owns a chain: the jump rules carry "faultline:pid=<pid>:start=<ticks>:run=<id>", because a pid alone can be reused.
import fs from 'node:fs';

/** The comment put on a run's jump rules; no spaces or quotes, so it reads the same in every iptables listing. */
export function ownerComment(runId: string, pid = process.pid): string {
  const start = processStartTime(pid) ?? '0';
  const run = runId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return `faultline:pid=${pid}:start=${start}:run=${run}`;
}

/** The owner recorded in a jump rule's comment, if the line carries one. */
export function parseOwnerComment(line: string): { pid: number; start: string } | undefined {
  const m = /faultline:pid=(\d+):start=(\d+)/.exec(line);
  return m ? { pid: Number(m[1]), start: m[2]! } : undefined;
}

/** True while `pid` runs and, when `start` is known, started at that tick (so a reused pid is not mistaken for the owner). */
export function isOwnerAlive(pid: number, start?: string): boolean {
  const stat = readStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return start === undefined || start === '0' || stat.starttime === start;
}

/** Field 22 of /proc/<pid>/stat: clock ticks after boot at which the process started. */
export function processStartTime(pid: number): string | undefined {
  return readStat(pid)?.starttime;
}

function readStat(pid: number): { state: string; starttime: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may contain spaces and parentheses: the fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, starttime: fields[19]! };
}
