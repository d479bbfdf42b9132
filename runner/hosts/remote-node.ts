// A node on an SSH host: started as a channel over the host's master (its output comes back on it, into the
// node's local log file), known to the host's reaper by its pid file, signalled with the host's own kill.
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { ResultPromise } from 'execa';
import { NodeProcessError } from '../process/process-errors.ts';
import type { EventLog } from '../records/events.ts';
import { logSummary } from '../process/log-summary.ts';
import type { ExitInfo, LogLine } from '../process/node-process.ts';
import type { LaunchCommand, NodeSpec } from '../contract/service.ts';
import type { HostSession } from './host-session.ts';
import { shellQuote } from './ssh-target.ts';

const KEEP_LINES = 2000;
const EXIT_MARK = '__faultline_exit ';

/**
 * The same surface as NodeProcess, remote. `owner` is undefined: the node's sockets live on another host, so the
 * runner's /proc cannot vouch for them; the service's identity check (etcd: cluster and member id) still does.
 */
export class RemoteNodeProcess {
  pid = 0;
  readonly exited: Promise<ExitInfo>;
  exit?: ExitInfo;
  paused = false;
  readonly lines: LogLine[] = [];
  readonly owner = undefined;
  readonly cgroup = undefined;
  readonly containment: string;
  private readonly listeners = new Set<(l: LogLine) => void>();
  private gotPid!: (pid: number) => void;
  private reaped: () => void = () => undefined;
  private readonly pidKnown = new Promise<number>((r) => (this.gotPid = r));

  private constructor(
    readonly spec: NodeSpec,
    private readonly host: HostSession,
    private readonly pidFile: string,
    channel: ResultPromise,
    private readonly events: EventLog,
    log: fs.WriteStream,
  ) {
    this.containment = `host ${host.name} (${host.config.address}), pid file ${pidFile}`;
    let status: string | undefined;
    for (const stream of [channel.stdout, channel.stderr].filter((s): s is Readable => !!s)) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (line.startsWith('__faultline_pid ')) return this.gotPid((this.pid = Number(line.slice(16))));
        if (line.startsWith(EXIT_MARK)) {
          status = line.slice(EXIT_MARK.length);
          // The wrapper shell has reaped the node: it is gone now, whenever the SSH channel closes.
          return this.reaped();
        }
        // Output after the exit status (the channel draining) still counts as the node's, but the log file is closed.
        if (log.writable) log.write(`${line}\n`);
        const entry = { t: events.clock.now(), line };
        this.lines.push(entry);
        if (this.lines.length > KEEP_LINES) this.lines.shift();
        for (const l of this.listeners) l(entry);
      });
    }
    const reaped = new Promise<void>((r) => (this.reaped = r));
    this.exited = Promise.race([reaped, channel.then(() => undefined)]).then(async () => {
      // The wrapper's `wait` status: 128 + n means signal n (as the shell reports it).
      const code = status === undefined ? undefined : Number(status);
      const signal = code !== undefined && code > 128 ? signalName(code - 128) : undefined;
      const info: ExitInfo = { t: events.clock.now(), ...(signal ? { signal } : code !== undefined ? { exitCode: code } : {}) };
      this.exit = info;
      this.gotPid(0);
      events.record('exit', { node: spec.name, pid: this.pid, exitCode: info.exitCode, signal: info.signal, ...(status === undefined ? { detail: `the SSH channel to ${host.name} ended without the node's exit status` } : {}) });
      return new Promise<ExitInfo>((resolve) => log.end(() => resolve(info)));
    });
  }

  /**
   * Starts the node on `host`: its data dir and pid file are registered with the host's reaper before it runs,
   * then `cd <data dir>; <binary> <args> & echo $! > <pid file>; wait` — the shell stays to report the exit status.
   */
  static async spawn(spec: NodeSpec, cmd: LaunchCommand, events: EventLog, host: HostSession): Promise<RemoteNodeProcess> {
    const binary = host.config.binary ?? cmd.command;
    const pidFile = host.config.run.kind === 'process' ? host.config.run.pidFile.replaceAll('{dataDir}', spec.dataDir) : '';
    if (host.config.run.kind !== 'process') throw new NodeProcessError(`Cannot start ${spec.name} on host "${host.name}": run.systemd is validated but not driven yet; use run.process.`, { node: spec.name });
    await host.reaper.register('pidfile', pidFile);
    await host.reaper.register('dir', spec.dataDir);
    const env = Object.entries(cmd.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
    const line = [binary, ...cmd.args].map(shellQuote).join(' ');
    const script = [
      `mkdir -p ${shellQuote(spec.dataDir)} && cd ${shellQuote(spec.dataDir)} || exit 97`,
      `${env.length ? `env ${env.join(' ')} ` : ''}${line} 2>&1 < /dev/null &`,
      `p=$!; echo "$p" > ${shellQuote(pidFile)}; echo "__faultline_pid $p"`,
      `wait "$p"; s=$?; while kill -0 "$p" 2>/dev/null; do wait "$p"; s=$?; done; echo "${EXIT_MARK}$s"`,
    ].join('\n');
    const log = fs.createWriteStream(spec.logFile, { flags: 'a' });
    const channel = host.nodeChannel();
    channel.stdin!.end(`${script}\n`);
    const proc = new RemoteNodeProcess(spec, host, pidFile, channel, events, log);
    const pid = await proc.pidKnown;
    if (!pid) throw new NodeProcessError(`Could not start "${binary}" for ${spec.name} on host "${host.name}": ${proc.tail(5).join(' | ') || 'the SSH channel ended'}.`, { node: spec.name, lastLines: proc.tail() });
    events.record('spawn', { node: spec.name, pid, detail: `ssh ${host.name}: ${line}` });
    return proc;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** `kill -<SIG> <pid>` on the host, through its open shell: one round trip. False when the node is gone. */
  async signal(sig: NodeJS.Signals): Promise<boolean> {
    if (!this.running) return false;
    if ((await this.host.tryExec(`kill -${sig.replace(/^SIG/, '')} ${this.pid}`)) !== 0) return false;
    if (sig === 'SIGSTOP') this.paused = true;
    if (sig === 'SIGCONT') this.paused = false;
    this.events.record('signal', { node: this.spec.name, pid: this.pid, detail: sig });
    return true;
  }

  /** The node's pid on its host while it runs. */
  pids(): number[] {
    return this.running ? [this.pid] : [];
  }

  tail(n = 15): string[] {
    return this.lines.slice(-n).map((l) => l.line);
  }

  summary(n = 10): string[] {
    return logSummary(this.lines.map((l) => l.line), n);
  }

  onLine(fn: (l: LogLine) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** SIGKILL (also when paused) and wait until the node is gone. */
  async destroy(): Promise<void> {
    if (this.running && this.pid) await this.signal('SIGKILL').catch(() => false);
    await this.exited;
  }
}

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 15: 'SIGTERM' };
function signalName(n: number): string {
  return SIGNALS[n] ?? `signal ${n}`;
}
