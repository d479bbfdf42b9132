// One system user per node: a partition tells nodes apart by the uid that owns their sockets (iptables -m owner).
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { FirewallError } from './firewall-error.ts';

/** A node's system account. */
export interface NodeUser {
  uid: number;
  gid: number;
  name: string;
}

/** Node n runs as `faultline-n<n>`. */
export const nodeUserName = (index: number): string => `faultline-n${index}`;

/**
 * The system user for node `index`, created when missing with
 * `useradd --system --no-create-home --shell /usr/sbin/nologin --user-group` (root only).
 * Parallel workers may race to create it: whoever loses finds it created and uses it.
 */
export async function ensureNodeUser(index: number): Promise<NodeUser> {
  if (!Number.isInteger(index) || index < 1) throw new FirewallError(`ensureNodeUser() takes a node index from 1, got ${JSON.stringify(index)}: pass node.index.`);
  const name = nodeUserName(index);
  const found = await lookupUser(name);
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new FirewallError(`User "${name}" does not exist and only root can create it (this process runs as uid ${process.getuid?.()}): run the tests as root, or create it with "useradd --system --no-create-home --shell /usr/sbin/nologin ${name}".`);
  }
  let last = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const group = (await execa('getent', ['group', name], { reject: false })).exitCode === 0 ? ['--gid', name] : ['--user-group'];
    const r = await execa('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...group, name], { reject: false, timeout: 15_000 });
    const user = await lookupUser(name);
    if (user) return user;
    last = `exit code ${r.exitCode}: ${r.stderr.trim()}`;
    // Exit 1 and 10: /etc/passwd or /etc/group is locked by a parallel useradd; try again shortly.
    await sleep(100 * (attempt + 1));
  }
  throw new FirewallError(`"useradd ... ${name}" failed (${last}): create the user by hand with "useradd --system --no-create-home --shell /usr/sbin/nologin ${name}".`);
}

/** The account named `name`, or undefined when it does not exist. */
export async function lookupUser(name: string): Promise<NodeUser | undefined> {
  const r = await execa('getent', ['passwd', name], { reject: false, timeout: 10_000 });
  if (r.exitCode !== 0) return undefined;
  const [, , uid, gid] = r.stdout.trim().split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * Creates `dir` if needed and gives it (recursively, like chown -R) to uid:gid, so a node running as that user can
 * write its data dir and log file. Fails early, naming the directory, when a parent is not searchable by that user.
 */
export async function prepareDirForUser(dir: string, uid: number, gid: number): Promise<void> {
  const abs = path.resolve(dir);
  for (let p = path.dirname(abs), prev = ''; p !== prev; prev = p, p = path.dirname(p)) {
    // A parent that does not exist yet is created below with the default mode (searchable under umask 022).
    const st = await fs.stat(p).catch(() => undefined);
    if (!st) continue;
    const searchable = st.mode & 0o001 || (st.uid === uid && st.mode & 0o100) || (st.gid === gid && st.mode & 0o010);
    if (!searchable) {
      throw new FirewallError(`uid ${uid} cannot enter "${p}" (mode ${(st.mode & 0o777).toString(8)}), so it cannot reach "${abs}": put the run's output under a directory others may search, e.g. "chmod o+x ${p}".`);
    }
  }
  await fs.mkdir(abs, { recursive: true });
  await chownTree(abs, uid, gid);
}

async function chownTree(p: string, uid: number, gid: number): Promise<void> {
  await fs.lchown(p, uid, gid);
  const st = await fs.lstat(p);
  if (!st.isDirectory()) return;
  for (const entry of await fs.readdir(p)) await chownTree(path.join(p, entry), uid, gid);
}
