// Who a pid really is, from /proc: a pid number alone can be reused, its start time cannot.
import fs from 'node:fs';

/**
 * /proc/<pid>/stat as { state, ppid, pgrp, session, starttime }; undefined when the pid is gone.
 * Why: the reaper checks identity (pid + start time) before it signals anything.
 */
export function readStat(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may contain spaces and parentheses: the fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]), starttime: fields[19] };
}

/** True while `pid` runs with the start time seen before; a zombie counts as dead (it only waits to be reaped). */
export function isSameLiveProcess(pid, starttime) {
  const s = readStat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X' && s.starttime === starttime;
}

/** Live (non-zombie) members of a process group. Why: kill(-pgid, 0) also succeeds for zombies nobody reaps. */
export function liveGroupMembers(pgid) {
  const members = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s && s.pgrp === pgid && s.state !== 'Z' && s.state !== 'X') members.push(Number(name));
  }
  return members;
}

/** The command line of a pid, for log lines; '' when unreadable. */
export function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 200);
  } catch {
    return '';
  }
}
