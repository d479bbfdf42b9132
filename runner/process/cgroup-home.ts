// Where this process's node cgroups live: one parent per watchdog (faultline-<pid>-<hex>), registered with it,
// so a dying owner's nodes are killed and their cgroups removed by the reaper, never left in /sys/fs/cgroup.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Cgroup, cgroup2Mount, cgroupUnavailable } from './cgroup.ts';
import type { ProcessGuard } from '../contract/process-guard.ts';

/** A parent cgroup for this process's nodes; `child()` makes one cgroup per node start. */
export class CgroupHome {
  private seq = 0;

  private constructor(readonly cgroup: Cgroup) {}

  /** A fresh cgroup for one start of node `name` (a restart gets a new one: the old one is removed at exit). */
  child(name: string): Cgroup {
    return Cgroup.create(this.cgroup.path, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${++this.seq}`);
  }

  /**
   * Creates the parent and registers it with `guard` (when given); undefined when cgroups cannot contain nodes
   * here, with `why` telling the reason (the caller falls back to process groups).
   */
  static async create(guard: ProcessGuard | undefined): Promise<{ home?: CgroupHome; why?: string }> {
    const why = cgroupUnavailable();
    if (why) return { why };
    const dir = path.join(cgroup2Mount()!, `faultline-${process.pid}-${randomBytes(3).toString('hex')}`);
    try {
      fs.mkdirSync(dir);
    } catch (e) {
      return { why: `cannot create ${dir}: ${(e as Error).message}` };
    }
    const cg = new Cgroup(dir);
    if (!fs.existsSync(path.join(dir, 'cgroup.kill'))) {
      cg.remove();
      return { why: 'this kernel has no cgroup.kill (Linux 5.14 or newer has it)' };
    }
    REMOVE_AT_EXIT.add(cg);
    if (guard) {
      try {
        await guard.register({ kind: 'cgroup', path: dir, label: `nodes of pid ${process.pid}` });
      } catch (e) {
        cg.remove();
        REMOVE_AT_EXIT.delete(cg);
        throw e;
      }
    }
    return { home: new CgroupHome(cg) };
  }
}

const homes = new WeakMap<ProcessGuard, Promise<{ home?: CgroupHome; why?: string }>>();
let unguarded: Promise<{ home?: CgroupHome; why?: string }> | undefined;

/** The parent cgroup of the nodes guarded by `guard`, created on first use. */
export function cgroupHomeFor(guard: ProcessGuard | undefined): Promise<{ home?: CgroupHome; why?: string }> {
  if (!guard) return (unguarded ??= CgroupHome.create(undefined));
  let home = homes.get(guard);
  if (!home) homes.set(guard, (home = CgroupHome.create(guard)));
  return home;
}

// Empty parents are removed when this process exits normally; the watchdog removes them (and kills what is
// inside) when it dies any other way.
const REMOVE_AT_EXIT = new Set<Cgroup>();
process.once('exit', () => {
  for (const cg of REMOVE_AT_EXIT) cg.remove();
});
