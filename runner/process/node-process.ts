// One node's process: its own cgroup (or process group without root), its log file, its last lines, its exit.
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { execa, type ResultPromise } from 'execa';
import { NodeProcessError } from './process-errors.ts';
import { prepareDirForUser } from '../firewall/node-users.ts';
import type { Cgroup } from './cgroup.ts';
import { cgroupHomeFor } from './cgroup-home.ts';
import type { EventLog } from '../records/events.ts';
import { logSummary } from './log-summary.ts';
import type { LaunchCommand, NodeSpec } from '../contract/service.ts';
import type { ProcessGuard } from '../contract/process-guard.ts';

/** How a node's process ended: its first process's exit code or signal, and when the last of its processes ended. */
export interface ExitInfo {
  exitCode?: number;
  signal?: string;
  t: number;
}

export type { ProcessGuard } from '../contract/process-guard.ts';

/** A log line with its offset on the run's clock. */
export interface LogLine {
  t: number;
  line: string;
}

/** How a node is held: 'auto' uses a cgroup where this process may create one (root, cgroup2), else a process group. */
export type Containment = 'auto' | 'process-group';

const KEEP_LINES = 2000;
/** How long output may still arrive after the node's last process ended; a pipe held longer is closed by us. */
const DRAIN_MS = 500;
/** Enters the cgroup named by $0 before exec, so no child of the node can start outside it. */
const ENTER_CGROUP = 'echo $$ > "$0" && exec "$@"';

/**
 * A started node. With a cgroup, the node is every process in it: it runs until the last one ends (a launcher
 * that daemonizes and exits leaves a running node), and signals reach them all. Without, it is its process group.
 */
export class NodeProcess {
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  exit?: ExitInfo;
  paused = false;
  readonly lines: LogLine[] = [];
  private readonly listeners = new Set<(l: LogLine) => void>();

  private constructor(
    readonly spec: NodeSpec,
    private readonly sub: ResultPromise,
    private readonly events: EventLog,
    log: fs.WriteStream,
    /** The node's own cgroup; undefined when it runs in a process group (see `containment`). */
    readonly cgroup: Cgroup | undefined,
    /** "cgroup <path>" or "process group (<why no cgroup>)", for events and errors. */
    readonly containment: string,
  ) {
    this.pid = sub.pid!;
    const streams = [sub.stdout, sub.stderr].filter((x): x is Readable => !!x);
    for (const stream of streams) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        log.write(`${line}\n`);
        const entry = { t: events.clock.now(), line };
        this.lines.push(entry);
        if (this.lines.length > KEEP_LINES) this.lines.shift();
        for (const l of this.listeners) l(entry);
      });
    }
    // Not `await sub`: execa waits for the pipes too, and a daemonized child may hold them forever.
    sub.catch(() => undefined);
    const first = new Promise<{ exitCode?: number; signal?: string; t: number }>((resolve) =>
      sub.once('exit', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined, t: events.clock.now() })),
    );
    this.exited = first.then(async (main) => {
      if (cgroup) await cgroup.waitEmpty();
      await drain(streams, DRAIN_MS);
      const info: ExitInfo = { exitCode: main.exitCode, signal: main.signal, t: events.clock.now() };
      this.exit = info;
      cgroup?.remove();
      const outlived = info.t - main.t > 50 ? `pid ${this.pid} exited at ${Math.round(main.t)} ms; the node's other processes ran until ${Math.round(info.t)} ms` : undefined;
      events.record('exit', { node: spec.name, pid: this.pid, exitCode: info.exitCode, signal: info.signal, ...(outlived ? { detail: outlived } : {}) });
      return new Promise<ExitInfo>((resolve) => log.end(() => resolve(info)));
    });
  }

  /**
   * Spawns the node in its own cgroup (it enters it before exec, so no child escapes) or, without root or
   * cgroup2, in a new process group; output goes to its log file.
   */
  static async spawn(spec: NodeSpec, cmd: LaunchCommand, events: EventLog, guard?: ProcessGuard, contain: Containment = 'auto'): Promise<NodeProcess> {
    fs.mkdirSync(spec.dataDir, { recursive: true });
    if (spec.user) await prepareDirForUser(spec.dataDir, spec.user.uid, spec.user.gid);
    const { home, why } = contain === 'auto' ? await cgroupHomeFor(guard) : { home: undefined, why: 'asked for' };
    if (home) {
      // The wrapper shell would report a missing binary only in the node's log: say it here, as a spawn would.
      const missing = unrunnable(cmd.command, cmd.env?.PATH ?? process.env.PATH ?? '');
      if (missing) throw new NodeProcessError(`Could not start "${cmd.command}" for ${spec.name}: ${missing}`, { node: spec.name });
    }
    const cgroup = home?.child(spec.name);
    const log = fs.createWriteStream(spec.logFile, { flags: 'a' });
    // In a cgroup the wrapper starts as root (only root may move a process into it) and drops to the node's user.
    const asUser = spec.user ? ['setpriv', `--reuid=${spec.user.uid}`, `--regid=${spec.user.gid}`, '--clear-groups', '--'] : [];
    const [file, args] = cgroup ? ['/bin/sh', ['-c', ENTER_CGROUP, cgroup.procsFile, ...asUser, cmd.command, ...cmd.args]] : [cmd.command, cmd.args];
    const sub = execa(file, args, {
      detached: true,
      cleanup: false,
      reject: false,
      buffer: false,
      stdin: 'ignore',
      env: cmd.env,
      cwd: spec.dataDir,
      ...(spec.user && !cgroup ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    });
    if (sub.pid === undefined) {
      const r = await sub;
      log.end();
      cgroup?.remove();
      throw new NodeProcessError(`Could not start "${cmd.command}" for ${spec.name}: ${r.shortMessage}`, { node: spec.name, exitCode: r.exitCode, signal: r.signal });
    }
    const containment = cgroup ? `cgroup ${cgroup.path}` : `process group (${why})`;
    const proc = new NodeProcess(spec, sub, events, log, cgroup, containment);
    events.record('spawn', { node: spec.name, pid: proc.pid, detail: [cmd.command, ...cmd.args].join(' '), ...(spec.user ? { user: spec.user.name } : {}) });
    // A cgroup is guarded through its parent (registered once by cgroupHomeFor); a process group on its own.
    if (guard && !cgroup) {
      // The watchdog kills the group if this worker dies before the test's teardown does.
      const id = await guard.register({ kind: 'pgid', pgid: proc.pid, label: spec.name }).catch(async (e: unknown) => {
        await proc.destroy(); // nobody would own it otherwise
        throw e;
      });
      void proc.exited.then(() => guard.unregister(id).catch(() => undefined));
    }
    return proc;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /**
   * Sends a signal to every process of the node; false when none is left. In a cgroup: SIGKILL is cgroup.kill;
   * other signals go to the pids listed while the cgroup is frozen (a frozen process cannot fork, so none is
   * missed), then it is thawed and the signals take effect. SIGSTOP stays the seed's pause ("kill -STOP"):
   * the freeze lasts only while the list is signalled.
   */
  signal(sig: NodeJS.Signals): boolean {
    if (!this.running) return false;
    const sent = this.cgroup ? this.signalCgroup(this.cgroup, sig) : signalGroup(this.pid, sig);
    if (!sent) return false;
    if (sig === 'SIGSTOP') this.paused = true;
    if (sig === 'SIGCONT') this.paused = false;
    this.events.record('signal', { node: this.spec.name, pid: this.pid, detail: sig });
    return true;
  }

  /** Every live pid of the node (its cgroup's, or the group leader's while it runs). */
  pids(): number[] {
    if (this.cgroup) return this.cgroup.pids();
    return this.running ? [this.pid] : [];
  }

  /** Whose sockets are the node's: its cgroup's pids (a daemon outlives its launcher), or its process group. */
  get owner(): number | number[] {
    return this.cgroup ? this.cgroup.pids() : this.pid;
  }

  private signalCgroup(cg: Cgroup, sig: NodeJS.Signals): boolean {
    if (sig === 'SIGKILL') return cg.populated() && cg.kill();
    const freeze = sig !== 'SIGCONT';
    if (freeze) cg.setFrozen(true);
    try {
      let sent = false;
      for (const pid of cg.pids()) sent = signalPid(pid, sig) || sent;
      return sent;
    } finally {
      if (freeze) cg.setFrozen(false);
    }
  }

  /** The last n log lines, for error messages. */
  tail(n = 15): string[] {
    return this.lines.slice(-n).map((l) => l.line);
  }

  /** Error-looking lines (up to 5) followed by the last lines: a usage dump hides the cause otherwise. */
  summary(n = 10): string[] {
    return logSummary(this.lines.map((l) => l.line), n);
  }

  /** Calls `fn` for every new log line until the returned function is called. */
  onLine(fn: (l: LogLine) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Kills every process of the node with SIGKILL (also when paused) and waits until all are gone. */
  async destroy(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): boolean {
  return signalPid(-pgid, sig);
}

function signalPid(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/** Waits until every stream has closed, at most `ms`; then closes what is left (a pipe a stray process still holds). */
async function drain(streams: Readable[], ms: number): Promise<void> {
  const open = streams.filter((s) => !s.destroyed && !s.readableEnded);
  if (open.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(open.map((s) => new Promise((r) => s.once('close', r)))),
    new Promise((r) => (timer = setTimeout(r, ms))),
  ]);
  clearTimeout(timer);
  for (const s of open) s.destroy();
}

/** Why `command` cannot be executed (resolved like execvp, on `PATH`), or undefined when it can. */
function unrunnable(command: string, PATH: string): string | undefined {
  const candidates = command.includes('/') ? [command] : PATH.split(':').filter(Boolean).map((d) => `${d}/${command}`);
  let found = false;
  for (const file of candidates) {
    try {
      if (!fs.statSync(file).isFile()) continue;
      found = true;
      fs.accessSync(file, fs.constants.X_OK);
      return undefined;
    } catch {
      // try the next
    }
  }
  return found ? `the file is not executable (EACCES): chmod +x it` : `no such file (ENOENT)${command.includes('/') ? '' : ` on PATH (${PATH})`}`;
}
