// A node's own cgroup (v2): every process it starts stays in it — daemonized children too — so one write kills
// them all and one read says whether any is left. Process groups cannot: `setsid … &` leaves the group.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from './process-errors.ts';

/** The cgroup2 mount (e.g. /sys/fs/cgroup/unified on a hybrid host); undefined when there is none. */
export function cgroup2Mount(mounts = readMounts()): string | undefined {
  for (const line of mounts.split('\n')) {
    const [, dir, type] = line.split(' ');
    if (type === 'cgroup2' && dir) return dir.replace(/\\040/g, ' ');
  }
  return undefined;
}

function readMounts(): string {
  try {
    return fs.readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return '';
  }
}

/** Why cgroups cannot contain nodes here (the runner falls back to process groups), or undefined when they can. */
export function cgroupUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `cgroups are Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'creating cgroups needs root';
  const mount = cgroup2Mount();
  if (!mount) return 'no cgroup2 file system is mounted (see /proc/self/mounts)';
  try {
    fs.accessSync(mount, fs.constants.W_OK);
  } catch {
    return `the cgroup2 mount ${mount} is not writable`;
  }
  return undefined;
}

/** One cgroup directory; every method reads or writes its interface files. */
export class Cgroup {
  constructor(readonly path: string) {}

  /** Creates `name` under `parent` (mkdir); throws when the kernel lacks cgroup.kill (before 5.14). */
  static create(parent: string, name: string): Cgroup {
    const dir = path.join(parent, name);
    fs.mkdirSync(dir);
    const cg = new Cgroup(dir);
    if (!fs.existsSync(cg.file('cgroup.kill'))) {
      cg.remove();
      throw new EnvironmentError(`The cgroup ${dir} has no cgroup.kill (Linux 5.14 or newer has it), so a node's processes could not all be killed at once.\n  Fix: run on Linux 5.14 or newer, or without root (nodes then run in process groups).`);
    }
    return cg;
  }

  /** The file a process writes its pid into to enter this cgroup. */
  get procsFile(): string {
    return this.file('cgroup.procs');
  }

  /** Pids in this cgroup (not in its children); [] when it is gone. */
  pids(): number[] {
    try {
      return fs.readFileSync(this.procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** True while any process lives in this cgroup or below it; false when it is gone. */
  populated(): boolean {
    return this.event('populated') === '1';
  }

  /** SIGKILLs every process in it and below, stopped ones too, at once (cgroup.kill); false when it is gone. */
  kill(): boolean {
    try {
      fs.writeFileSync(this.file('cgroup.kill'), '1');
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  /**
   * Resolves true once no process is left (cgroup.events says populated 0), false after `timeoutMs`. The kernel
   * reports each change of cgroup.events as a file modification, so this wakes at once; a slow poll backs it up.
   */
  async waitEmpty(timeoutMs = Infinity, pollMs = 250): Promise<boolean> {
    if (!this.populated()) return true;
    return new Promise<boolean>((resolve) => {
      let watcher: fs.FSWatcher | undefined;
      const timers: NodeJS.Timeout[] = [];
      const finish = (empty: boolean) => {
        watcher?.close();
        for (const t of timers) clearTimeout(t);
        resolve(empty);
      };
      const check = () => !this.populated() && finish(true);
      try {
        watcher = fs.watch(this.file('cgroup.events'), check);
        watcher.on('error', () => undefined);
      } catch {
        // no inotify here: the poll alone decides
      }
      timers.push(setInterval(check, pollMs));
      if (Number.isFinite(timeoutMs)) timers.push(setTimeout(() => finish(!this.populated()), timeoutMs));
      check();
    });
  }

  /**
   * Freezes (true) or thaws (false) every process in it and waits, synchronously and at most `timeoutMs`,
   * until cgroup.events agrees; false when it did not. Why synchronous: a frozen cgroup cannot fork, so a list
   * of its pids read while frozen is exact, and callers signal that list before anything else runs.
   */
  setFrozen(frozen: boolean, timeoutMs = 2000): boolean {
    try {
      fs.writeFileSync(this.file('cgroup.freeze'), frozen ? '1' : '0');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
    const want = frozen ? '1' : '0';
    const deadline = performance.now() + timeoutMs;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (this.event('frozen') !== want) {
      if (performance.now() >= deadline) return false;
      Atomics.wait(nap, 0, 0, 1);
    }
    return true;
  }

  /** Removes the (empty) cgroup; true when it is gone afterwards. */
  remove(): boolean {
    try {
      fs.rmdirSync(this.path);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT';
    }
  }

  private file(name: string): string {
    return path.join(this.path, name);
  }

  private event(key: string): string | undefined {
    try {
      const line = fs.readFileSync(this.file('cgroup.events'), 'utf8').split('\n').find((l) => l.startsWith(`${key} `));
      return line?.slice(key.length + 1).trim();
    } catch {
      return undefined;
    }
  }
}
