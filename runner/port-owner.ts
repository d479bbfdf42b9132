// Who listens on a loopback port, read from /proc (/proc/net/tcp inode -> /proc/<pid>/fd): tells our
// node's socket from another process's, whatever the service can or cannot say about itself.
import fs from 'node:fs';
import { ForeignNodeError } from './errors.ts';

const LISTEN = '0A';

/** Inodes of the sockets listening on `port` (any local address, IPv4 and IPv6). */
export function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== LISTEN) continue;
      if (parseInt(f[1]!.split(':').pop()!, 16) === port) inodes.add(f[9]!);
    }
  }
  return inodes;
}

const pids = (): number[] => fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or undefined when it is gone. */
function pgidOf(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  return stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) : undefined;
}

/**
 * The processes of a node: its process group, plus its cgroup when the node has one of its own (a
 * daemonizing child leaves the group, not the cgroup).
 */
export function nodeProcesses(pgid: number): number[] {
  const cgroup = read(`/proc/${pgid}/cgroup`);
  const ownCgroup = cgroup !== undefined && cgroup !== read(`/proc/${process.pid}/cgroup`);
  return pids().filter((p) => pgidOf(p) === pgid || (ownCgroup && read(`/proc/${p}/cgroup`) === cgroup));
}

/** Socket inodes held open by `pid` (empty when its fds cannot be read). */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** "pid 123: etcd --name=node-1 ..." for whoever listens on `port`, as far as /proc lets us see. */
export function describeListener(port: number): string {
  const inodes = listeningInodes(port);
  if (!inodes.size) return `nothing listens on port ${port} now`;
  for (const pid of pids()) {
    if ([...socketInodes(pid)].some((i) => inodes.has(i))) {
      const cmd = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
      return `pid ${pid}: ${cmd.length > 300 ? `${cmd.slice(0, 300)}...` : cmd}`;
    }
  }
  return 'a process whose sockets we cannot read (another user\'s)';
}

/**
 * Throws ForeignNodeError when one of `ports` is listened on by a process outside the node (`pgid`'s
 * group or cgroup). A port nobody listens on is not an error here: the node may not use it.
 */
export function verifyPortOwners(node: string, ports: number[], pgid: number): void {
  const listening = ports.map((port) => ({ port, inodes: listeningInodes(port) })).filter((p) => p.inodes.size);
  if (!listening.length) return;
  const ours = new Set(nodeProcesses(pgid).flatMap((p) => [...socketInodes(p)]));
  for (const { port, inodes } of listening) {
    if ([...inodes].every((i) => ours.has(i))) continue;
    throw new ForeignNodeError(node, `127.0.0.1:${port}`, `a listening socket of the node's own processes (process group ${pgid})`, describeListener(port));
  }
}
