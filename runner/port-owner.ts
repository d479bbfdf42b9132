// Who listens on a loopback port, read from /proc (/proc/net/tcp inode -> /proc/<pid>/fd): tells our
// node's socket from another process's, whatever the service can or cannot say about itself.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { ForeignNodeError } from './process/process-errors.ts';

const LISTEN = '0A';

/** The variable every node process is started with; a daemonizing child keeps it after it leaves the group. */
export const NODE_MARKER_VAR = 'FAULTLINE_NODE';

/** The marker value of one node of one cluster (its token is unique per run). */
export function nodeMarker(token: string, node: string): string {
  return `${token}/${node}`;
}

/** Inodes of the sockets listening on `port` (any local address, IPv4 and IPv6) in this network namespace. */
export function listeningInodes(port: number): Set<string> {
  return parseListeners([readSync('/proc/net/tcp'), readSync('/proc/net/tcp6')], port);
}

function parseListeners(tables: (string | undefined)[], port: number): Set<string> {
  const inodes = new Set<string>();
  for (const text of tables) {
    for (const line of (text ?? '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== LISTEN) continue;
      if (parseInt(f[1]!.split(':').pop()!, 16) === port) inodes.add(f[9]!);
    }
  }
  return inodes;
}

function readSync(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

// The check runs while workloads measure their own timing: it reads /proc without blocking the event loop.
const read = (file: string): Promise<string | undefined> => fsp.readFile(file, 'utf8').catch(() => undefined);
const pids = async (): Promise<number[]> => (await fsp.readdir('/proc')).filter((d) => /^\d+$/.test(d)).map(Number);

async function filterPids(test: (pid: number) => Promise<boolean>): Promise<number[]> {
  const all = await pids();
  const keep = await Promise.all(all.map(test));
  return all.filter((_, i) => keep[i]);
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or undefined when it is gone. */
async function pgidOf(pid: number): Promise<number | undefined> {
  const stat = await read(`/proc/${pid}/stat`);
  return stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) : undefined;
}

/**
 * The processes of a node: its process group, plus its cgroup when the node has one of its own (a
 * daemonizing child leaves the group, not the cgroup).
 */
export async function nodeProcesses(pgid: number): Promise<number[]> {
  const cgroup = await read(`/proc/${pgid}/cgroup`);
  const ownCgroup = cgroup !== undefined && cgroup !== (await read(`/proc/${process.pid}/cgroup`));
  return filterPids(async (p) => (await pgidOf(p)) === pgid || (ownCgroup && (await read(`/proc/${p}/cgroup`)) === cgroup));
}

/** Processes started with the node's marker in their environment (daemons that left group and cgroup). */
function markedProcesses(marker: string): Promise<number[]> {
  const entry = `${NODE_MARKER_VAR}=${marker}\0`;
  return filterPids(async (p) => (await read(`/proc/${p}/environ`))?.includes(entry) ?? false);
}

/** Socket inodes held open by `pid` (empty when its fds cannot be read). */
async function socketInodes(pid: number): Promise<string[]> {
  const fds = await fsp.readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => fsp.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1]).filter((i): i is string => i !== undefined);
}

/** "pid 123: etcd --name=node-1 ..." for whoever listens on `port`, as far as /proc lets us see (for error messages). */
export function describeListener(port: number): string {
  const inodes = listeningInodes(port);
  if (!inodes.size) return `nothing listens on port ${port} now`;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    const cmd = (readSync(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
    return `pid ${pid}: ${cmd.length > 300 ? `${cmd.slice(0, 300)}...` : cmd}`;
  }
  return "a process whose sockets we cannot read (another user's)";
}

/**
/**
 * Rejects with ForeignNodeError when one of `ports` is listened on by a process outside the node
 * (`owner`: a process group with its cgroup, or the node's exact pids when it has a cgroup of its own;
 * or a process started with the node's `marker`). A port nobody listens on is not an error here: the
 * node may not use it.
 */
export async function verifyPortOwners(node: string, ports: number[], owner: number | readonly number[], marker?: string): Promise<void> {
  const tables = await Promise.all([read('/proc/net/tcp'), read('/proc/net/tcp6')]);
  const listening = ports.map((port) => ({ port, inodes: parseListeners(tables, port) })).filter((p) => p.inodes.size);
  if (!listening.length) return;
  // A node in its own cgroup passes its exact pids (NodeProcess.owner): its launcher may be long gone.
  const members = typeof owner === 'number' ? await nodeProcesses(owner) : [...owner];
  const ours = new Set((await Promise.all(members.map(socketInodes))).flat());
  const isOurs = (inodes: Set<string>) => [...inodes].every((i) => ours.has(i));
  // Reading every environment is dearer: only when a listener is not found in the group or cgroup.
  if (marker && !listening.every((l) => isOurs(l.inodes))) {
    for (const i of (await Promise.all((await markedProcesses(marker)).map(socketInodes))).flat()) ours.add(i);
  }
  for (const { port, inodes } of listening) {
    if (isOurs(inodes)) continue;
    const whose = typeof owner === 'number' ? `process group ${owner}` : `pids ${owner.join(', ') || 'none'} of its cgroup`;
    throw new ForeignNodeError(node, `127.0.0.1:${port}`, `a listening socket of the node's own processes (${whose})`, describeListener(port));
  }
}
