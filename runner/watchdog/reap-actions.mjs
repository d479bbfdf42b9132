// What the reaper does per kind of registered thing: admit it (check it is safe to own), then undo it.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { commandLine, liveGroupMembers, readStat } from './process-identity.mjs';

/** A registration the reaper refuses (plain Node, outside the TS error family): the client reports it as a WatchdogError. */
export class RegistrationRefused extends Error {
  name = 'RegistrationRefused';
}

const COMMAND_TIMEOUT_MS = 10_000;

/** A one-line description for the log. Why: the log is the only evidence of what was cleaned. */
export function describeItem(item, rec = {}) {
  switch (item.kind) {
    case 'pgid': return `process group ${item.pgid} ("${item.label ?? rec.label ?? '?'}")`;
    case 'cgroup': return `cgroup ${item.path} ("${item.label ?? '?'}")`;
    case 'iptables-chain': return `iptables chain "${item.chain}"${item.table ? ` in table ${item.table}` : ''} with ${item.jumps.length} jump(s)`;
    case 'netns': return `network namespace "${item.name}"${item.killProcesses ? ' and its processes' : ''}`;
    case 'dir': return `directory ${item.path}`;
    case 'command': return `command "${item.label ?? item.argv.join(' ')}"`;
    default: return `unknown item ${JSON.stringify(item)}`;
  }
}

/**
 * Checks a registration and returns what must be remembered to undo it safely; throws (rule + fix) otherwise.
 * Why: a process group is remembered with its leader's start time, so a reused pid is never killed,
 * and the groups of the owner and its ancestors (the shell, the Playwright runner) are refused outright.
 */
export function admit(item, ctx) {
  if (item.kind === 'cgroup') return admitCgroup(item, ctx);
  if (item.kind === 'netns' && item.killProcesses) return admitNetns(item, ctx);
  if (item.kind !== 'pgid') return {};
  const { pgid } = item;
  const stat = readStat(pgid);
  if (stat && stat.pgrp !== pgid) {
    throw new RegistrationRefused(`pid ${pgid} does not lead a process group (it is in group ${stat.pgrp}): start it with detached: true so it leads its own group, then register its pid.`);
  }
  if (!stat && liveGroupMembers(pgid).length === 0) {
    throw new RegistrationRefused(`process group ${pgid} does not exist (any more): register a group right after spawning it, before it can exit.`);
  }
  for (let pid = ctx.ownerPid, hops = 0; pid > 1 && hops < 64; hops++) {
    const s = readStat(pid);
    if (!s) break;
    if (s.pgrp === pgid) throw new RegistrationRefused(`process group ${pgid} is the group of the watchdog's owner (pid ${ctx.ownerPid}) or of one of its ancestors: the watchdog never kills its owner; register only groups started with detached: true.`);
    pid = s.ppid;
  }
  if (pgid === process.pid) throw new RegistrationRefused(`process group ${pgid} is the watchdog's own group: register only groups you started.`);
  return { starttime: stat?.starttime, leaderGone: !stat, label: item.label ?? commandLine(pgid) };
}

/** SIGKILLs a registered group unless its pid was reused; returns the log line and whether it signalled. */
export function killGroup(item, rec) {
  const { pgid } = item;
  const stat = readStat(pgid);
  // A leader pid cannot be reused while its group has members, so a different (or new) process under
  // that pid means our group is entirely gone and the number now belongs to someone else.
  if (stat && (rec.leaderGone || stat.starttime !== rec.starttime)) {
    return { line: `skipped ${describeItem(item, rec)}: pid ${pgid} now belongs to another process (pid reused)`, signalled: false };
  }
  if (liveGroupMembers(pgid).length === 0) return { line: `${describeItem(item, rec)}: already gone`, signalled: false };
  try {
    // SIGKILL also ends stopped (SIGSTOPped) processes: no SIGCONT needed.
    process.kill(-pgid, 'SIGKILL');
  } catch (e) {
    if (e.code === 'ESRCH') return { line: `${describeItem(item, rec)}: already gone`, signalled: false };
    return { line: `FAILED to kill ${describeItem(item, rec)}: ${e.message}`, signalled: false };
  }
  return { line: `killed ${describeItem(item, rec)} with SIGKILL`, signalled: true };
}

/** A cgroup is admitted when it is a cgroup2 directory that holds neither the owner nor the watchdog. */
function admitCgroup(item, ctx) {
  const mount = cgroup2Mount();
  if (!mount || !item.path.startsWith(`${mount}/`) || !fs.existsSync(`${item.path}/cgroup.procs`)) {
    throw new RegistrationRefused(`${item.path} is not a cgroup under the cgroup2 mount (${mount ?? 'none mounted'}): register the directory created there for the nodes.`);
  }
  const rel = item.path.slice(mount.length);
  for (const pid of [ctx.ownerPid, process.pid]) {
    const own = readCgroupPath(pid);
    if (own !== undefined && (own === rel || own.startsWith(`${rel}/`))) {
      throw new RegistrationRefused(`${item.path} holds pid ${pid} (the owner or the watchdog): the watchdog never kills its owner; register only cgroups the nodes run in.`);
    }
  }
  return {};
}

/**
 * A namespace whose processes the reaper will kill must exist and hold neither the owner nor the watchdog.
 * Why: "every process in it" must never include the processes that asked.
 */
function admitNetns(item, ctx) {
  const ns = netnsInode(`/run/netns/${item.name}`);
  if (ns === undefined) throw new RegistrationRefused(`network namespace "${item.name}" does not exist (no /run/netns/${item.name}): register it right after ip netns add.`);
  for (const pid of [ctx.ownerPid, process.pid]) {
    if (netnsInode(`/proc/${pid}/ns/net`) === ns) throw new RegistrationRefused(`network namespace "${item.name}" holds pid ${pid} (the owner or the watchdog): the watchdog never kills its owner; register only namespaces the run made for its hosts.`);
  }
  return {};
}

/** The inode that identifies a network namespace (a /run/netns bind mount or /proc/<pid>/ns/net). */
function netnsInode(file) {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
}

/** SIGKILLs every process in a named namespace and waits (3 s at most) until none is left; returns a note. */
function killNetnsProcesses(name) {
  const ns = netnsInode(`/run/netns/${name}`);
  if (ns === undefined) return 'no processes (namespace gone)';
  const inside = () => fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    const s = readStat(pid);
    return s && s.state !== 'Z' && s.state !== 'X' && netnsInode(`/proc/${pid}/ns/net`) === ns;
  });
  const pids = inside();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  const deadline = performance.now() + 3_000;
  let left = pids;
  while (left.length && performance.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    left = inside();
  }
  return pids.length ? `${pids.length} process(es) killed (pids ${pids.join(', ')})${left.length ? `, ${left.length} still alive` : ''}` : 'no processes';
}

/** Where cgroup2 is mounted, from /proc/self/mounts. */
function cgroup2Mount() {
  try {
    return fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')).find((f) => f[2] === 'cgroup2')?.[1];
  } catch {
    return undefined;
  }
}

/** The cgroup v2 path of `pid` ("0::/x/y" in /proc/<pid>/cgroup), undefined when unreadable. */
function readCgroupPath(pid) {
  try {
    const line = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.startsWith('0::'));
    return line?.slice(3);
  } catch {
    return undefined;
  }
}

/** cgroup.kill on a registered cgroup (everything below it dies too); returns the log line and whether it wrote. */
export function killCgroup(item) {
  const pids = cgroupPids(item.path);
  if (!fs.existsSync(item.path)) return { line: `${describeItem(item)}: already gone`, signalled: false };
  try {
    fs.writeFileSync(`${item.path}/cgroup.kill`, '1');
  } catch (e) {
    return { line: `FAILED to kill ${describeItem(item)}: ${e.message}`, signalled: false };
  }
  return { line: `killed ${describeItem(item)} with cgroup.kill${pids.length ? ` (pids ${pids.join(', ')})` : ' (it was empty)'}`, signalled: true };
}

/** True while any process is left in `dir` or below it. */
export function cgroupPopulated(dir) {
  try {
    return /^populated 1$/m.test(fs.readFileSync(`${dir}/cgroup.events`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every pid in `dir` and below, for the log. */
function cgroupPids(dir) {
  const pids = [];
  const walk = (d) => {
    let entries = [];
    try {
      pids.push(...fs.readFileSync(`${d}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number));
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) walk(`${d}/${e.name}`);
  };
  walk(dir);
  return pids;
}

/** Removes a cgroup and its children, deepest first (cgroups are removed with rmdir, never rm -r). */
function removeCgroup(item) {
  if (!fs.existsSync(item.path)) return `${describeItem(item)}: already gone`;
  const failures = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(`${d}/${e.name}`);
    try {
      fs.rmdirSync(d);
    } catch (e) {
      failures.push(`${d}: ${e.code ?? e.message}`);
    }
  };
  try {
    walk(item.path);
  } catch (e) {
    failures.push(e.message);
  }
  return failures.length ? `FAILED to remove ${describeItem(item)}: ${failures.join('; ')}` : `removed ${describeItem(item)}`;
}

/** Undoes one non-process item; returns the log line. Why one generic place: the reaper stays ignorant of faults. */
export function undoItem(item) {
  switch (item.kind) {
    case 'cgroup': return removeCgroup(item);
    case 'iptables-chain': return removeChain(item);
    case 'netns': {
      if (!fs.existsSync(`/run/netns/${item.name}`)) return `${describeItem(item)}: already gone`;
      const killed = item.killProcesses ? ` (${killNetnsProcesses(item.name)})` : '';
      const r = run(['ip', 'netns', 'delete', item.name]);
      return r.ok ? `deleted ${describeItem(item)}${killed}` : `${describeItem(item)}: ip netns delete failed (${r.detail})${killed}`;
    }
    case 'dir': {
      if (!fs.existsSync(item.path)) return `${describeItem(item)}: already gone`;
      try {
        fs.rmSync(item.path, { recursive: true, force: true });
        return `removed ${describeItem(item)}`;
      } catch (e) {
        return `FAILED to remove ${describeItem(item)}: ${e.message}`;
      }
    }
    case 'command': {
      const r = run(item.argv);
      return `ran ${describeItem(item)}: ${r.ok ? 'exit code 0' : r.detail}`;
    }
    default: return `cannot undo ${describeItem(item)}`;
  }
}

function removeChain(item) {
  const base = ['iptables', '-w', ...(item.table ? ['-t', item.table] : [])];
  const notes = [];
  for (const jump of item.jumps) {
    let removed = 0;
    // The same jump may have been added twice: delete until iptables says it is not there.
    while (removed < 20 && run([...base, '-D', ...jump]).ok) removed++;
    notes.push(`${removed} jump(s) "${jump.join(' ')}" deleted`);
  }
  const flush = run([...base, '-F', item.chain]);
  const del = flush.ok ? run([...base, '-X', item.chain]) : flush;
  notes.push(del.ok ? 'chain flushed and deleted' : `chain not deleted (${del.detail})`);
  return `${del.ok ? 'removed' : 'FAILED to remove'} ${describeItem(item)}: ${notes.join('; ')}`;
}

function run(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8' });
  if (r.error) return { ok: false, detail: r.error.message };
  if (r.status === 0) return { ok: true, detail: '' };
  const err = (r.stderr || r.stdout || '').trim().split('\n').slice(-2).join(' | ');
  return { ok: false, detail: r.signal ? `killed by ${r.signal} after ${COMMAND_TIMEOUT_MS} ms` : `exit code ${r.status}${err ? `: ${err}` : ''}` };
}
