// One node's process: its own process group, its log file, its last lines, its exit.
import fs from 'node:fs';
import readline from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { NodeProcessError } from './errors.ts';
import { prepareDirForUser } from './firewall/node-users.ts';
import type { EventLog } from './events.ts';
import type { LaunchCommand, NodeSpec } from './service.ts';
import type { ProcessGuard } from './process-guard.ts';

/** How a node's process ended. */
export interface ExitInfo {
  exitCode?: number;
  signal?: string;
  t: number;
}

export type { ProcessGuard } from './process-guard.ts';

/** A log line with its offset on the run's clock. */
export interface LogLine {
  t: number;
  line: string;
}

const KEEP_LINES = 2000;

/** A started node process. Signals go to its whole process group. */
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
  ) {
    this.pid = sub.pid!;
    for (const stream of [sub.stdout, sub.stderr]) {
      if (!stream) continue;
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        log.write(`${line}\n`);
        const entry = { t: events.clock.now(), line };
        this.lines.push(entry);
        if (this.lines.length > KEEP_LINES) this.lines.shift();
        for (const l of this.listeners) l(entry);
      });
    }
    this.exited = sub.then((r) => {
      const info: ExitInfo = { exitCode: r.exitCode ?? undefined, signal: r.signal ?? undefined, t: events.clock.now() };
      this.exit = info;
      events.record('exit', { node: spec.name, pid: this.pid, exitCode: info.exitCode, signal: info.signal });
      return new Promise<ExitInfo>((resolve) => log.end(() => resolve(info)));
    });
  }

  /** Spawns the node in a new process group; output goes to its log file. */
  static async spawn(spec: NodeSpec, cmd: LaunchCommand, events: EventLog, guard?: ProcessGuard): Promise<NodeProcess> {
    fs.mkdirSync(spec.dataDir, { recursive: true });
    if (spec.user) await prepareDirForUser(spec.dataDir, spec.user.uid, spec.user.gid);
    const log = fs.createWriteStream(spec.logFile, { flags: 'a' });
    const sub = execa(cmd.command, cmd.args, {
      detached: true,
      cleanup: false,
      reject: false,
      buffer: false,
      stdin: 'ignore',
      env: cmd.env,
      cwd: spec.dataDir,
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    });
    if (sub.pid === undefined) {
      const r = await sub;
      log.end();
      throw new NodeProcessError(`Could not start "${cmd.command}" for ${spec.name}: ${r.shortMessage}`, { node: spec.name, exitCode: r.exitCode, signal: r.signal });
    }
    const proc = new NodeProcess(spec, sub, events, log);
    events.record('spawn', { node: spec.name, pid: proc.pid, detail: [cmd.command, ...cmd.args].join(' '), ...(spec.user ? { user: spec.user.name } : {}) });
    if (guard) {
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

  /** Sends a signal to the node's whole process group; false when the group is already gone. */
  signal(sig: NodeJS.Signals): boolean {
    if (!this.running) return false;
    try {
      process.kill(-this.pid, sig);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw e;
    }
    if (sig === 'SIGSTOP') this.paused = true;
    if (sig === 'SIGCONT') this.paused = false;
    this.events.record('signal', { node: this.spec.name, pid: this.pid, detail: sig });
    return true;
  }

  /** The last n log lines, for error messages. */
  tail(n = 15): string[] {
    return this.lines.slice(-n).map((l) => l.line);
  }

  /** Error-looking lines (up to 5) followed by the last lines: a usage dump hides the cause otherwise. */
  summary(n = 10): string[] {
    const errors = this.lines.filter((l) => /\b(error|fatal|panic|not defined|invalid|cannot)\b/i.test(l.line)).slice(0, 5).map((l) => l.line);
    const tail = this.tail(n).filter((l) => !errors.includes(l));
    return errors.length ? [...errors, ...(tail.length ? ['...', ...tail] : [])] : tail;
  }

  /** Calls `fn` for every new log line until the returned function is called. */
  onLine(fn: (l: LogLine) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Kills the whole group with SIGKILL (also when paused) and waits for the exit. */
  async destroy(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }
}
