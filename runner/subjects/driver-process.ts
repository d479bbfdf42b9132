// One running driver program: its own process group under the watchdog, requests matched to replies by
// id, every stdout/stderr line in its log, and a protocol breach or silence ending it with a clear error.
import fs from 'node:fs';
import readline from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { guardGroup, killGroup } from '../process/guarded-group.ts';
import type { ProcessGuard } from '../process/node-process.ts';
import { parseDriverLine, type DriverAttempt, type DriverEvent, type DriverReply, type DriverRequest, type DriverWatchState } from './driver-messages.ts';
import type { DriverClientConfig } from '../contract/subject-config.ts';
import { ClientUnderTestError } from './subject-error.ts';

/** Where the driver's lines go besides the requests waiting for them. */
export interface DriverListeners {
  attempt?(a: DriverAttempt): void;
  event?(e: DriverEvent): void;
  state?(s: DriverWatchState): void;
}

interface Pending {
  resolve(r: DriverReply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  listeners: DriverListeners;
}

const KEEP_STDERR = 12;
/** How long `init` may take at least: a runtime and a client library load first (seconds on a loaded machine). */
const START_TIMEOUT_MS = 30_000;

/** A started driver; `request` resolves with its reply; `close()` kills its group and waits. */
export class DriverProcess {
  private readonly pending = new Map<number, Pending>();
  /** Listeners of long-lived requests (watches) after their reply. */
  private readonly streams = new Map<number, DriverListeners>();
  private readonly stderr: string[] = [];
  private nextId = 1;
  private failure?: ClientUnderTestError;
  private exitedFlag = false;

  private constructor(
    readonly service: string,
    readonly client: string,
    private readonly config: DriverClientConfig,
    private readonly sub: ResultPromise,
    readonly pid: number,
    private readonly log: (line: string) => void,
    readonly exited: Promise<void>,
  ) {}

  /**
   * Spawns the driver, puts its group under the watchdog and sends `init`; a driver that exits or breaks
   * the protocol before answering fails here, with its stderr.
   */
  static async start(service: string, client: string, config: DriverClientConfig, options: { guard?: ProcessGuard; logFile?: string; now: () => number }): Promise<DriverProcess> {
    const [bin, ...args] = config.command;
    const log = (line: string) => options.logFile && fs.appendFileSync(options.logFile, `+${Math.round(options.now())}ms ${line}\n`);
    const sub = execa(bin!, args, { detached: true, cleanup: false, reject: false, buffer: false, stdin: 'pipe', env: config.env });
    if (sub.pid === undefined) {
      const r = await sub;
      throw new ClientUnderTestError(service, client, `its driver "${config.command.join(' ')}" could not be started: ${r.shortMessage}.`, `point "clients.${client}.driver.command" at an executable (the first item is the program, e.g. ["node", "driver.mjs"]).`);
    }
    let resolveExit!: () => void;
    const exited = new Promise<void>((r) => (resolveExit = r));
    const d = new DriverProcess(service, client, config, sub, sub.pid, log, exited);
    const refusal = await guardGroup(options.guard, sub.pid, `driver ${client} of ${service}`, sub);
    if (refusal) throw refusal.refused;
    const out = d.lines(sub.stdout, (l) => d.onStdout(l));
    const err = d.lines(sub.stderr, (l) => {
      log(`stderr: ${l}`);
      d.stderr.push(l);
      if (d.stderr.length > KEEP_STDERR) d.stderr.shift();
    });
    void Promise.all([sub, out, err]).then(([r]) => {
      d.exitedFlag = true;
      log(`exited: exit code ${r.exitCode ?? '-'}, signal ${r.signal ?? '-'}`);
      d.fail(new ClientUnderTestError(service, client, `its driver exited (exit code ${r.exitCode ?? '-'}, signal ${r.signal ?? '-'}) with ${d.pending.size} request(s) unanswered.`, 'a driver runs until its stdin closes; see its stderr below for why it stopped.', d.stderr));
      resolveExit();
    });
    await d.request({ op: 'init' }, {}, undefined, Math.max(config.timeoutMs, START_TIMEOUT_MS));
    return d;
  }

  /** Sends one request (its id is assigned here) and waits for its reply, or the configured timeout. */
  request(req: Omit<DriverRequest, 'id'>, listeners: DriverListeners, onId?: (id: number) => void, timeoutMs = this.config.timeoutMs): Promise<DriverReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    onId?.(id);
    const line = JSON.stringify({ id, ...req });
    return new Promise<DriverReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new ClientUnderTestError(this.service, this.client, `its driver never answered request ${id} (${line}) within ${timeoutMs} ms; it was killed with its process group.`, `answer every request with {"id": ${id}, "outcome": …} on one stdout line (flush it), or raise "clients.${this.client}.driver.timeout".`, this.stderr));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, listeners });
      this.log(`stdin: ${line}`);
      this.sub.stdin?.write(`${line}\n`);
    });
  }

  /** Keeps delivering a watch's events and states after its reply. */
  stream(id: number, listeners: DriverListeners): void {
    this.streams.set(id, listeners);
  }

  /** Ends a stream's delivery. */
  unstream(id: number): void {
    this.streams.delete(id);
  }

  /** True while the driver runs and has broken no rule. */
  get healthy(): boolean {
    return !this.failure && !this.exitedFlag;
  }

  /** Closes stdin, then kills the group; waits for the exit. */
  async close(): Promise<void> {
    this.failure ??= new ClientUnderTestError(this.service, this.client, 'its driver was closed by the test.', 'none: this is the end of the run.');
    this.sub.stdin?.end();
    killGroup(this.pid);
    await this.exited;
  }

  private onStdout(raw: string): void {
    this.log(`stdout: ${raw}`);
    if (raw.trim() === '') return;
    const m = parseDriverLine(raw);
    if (typeof m === 'string') return this.fail(this.breach(`its driver wrote a line that ${m}: ${clip(raw)}`, 'write exactly one JSON object per stdout line, as docs/client-driver.md shows; print logs to stderr.'));
    if (m.kind === 'reply') {
      const p = this.pending.get(m.reply.id);
      if (!p) return this.fail(this.breach(`its driver answered request ${m.reply.id}, which was never sent or was already answered: ${clip(raw)}`, 'echo the "id" of the request you answer, once.'));
      clearTimeout(p.timer);
      this.pending.delete(m.reply.id);
      p.resolve(m.reply);
      return;
    }
    const id = m.kind === 'attempt' ? m.attempt.attempt : m.kind === 'event' ? m.event.watch : m.state.watch;
    const listeners = this.pending.get(id)?.listeners ?? this.streams.get(id);
    if (!listeners) {
      // A late attempt line of an answered request, or an event of a cancelled watch: logged, not an error.
      if (m.kind === 'attempt' || this.streams.size === 0) return;
      return this.fail(this.breach(`its driver sent a ${m.kind} for request ${id}, which is not a watch it has open: ${clip(raw)}`, `use the "id" of the watch request in "watch".`));
    }
    if (m.kind === 'attempt') listeners.attempt?.(m.attempt);
    else if (m.kind === 'event') listeners.event?.(m.event);
    else listeners.state?.(m.state);
  }

  private breach(rule: string, fix: string): ClientUnderTestError {
    return new ClientUnderTestError(this.service, this.client, rule, fix, this.stderr);
  }

  /** Fails every waiting request with `e` and kills the driver: after a breach no reply can be trusted. */
  private fail(e: ClientUnderTestError): void {
    this.failure ??= e;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(e);
      this.pending.delete(id);
    }
    for (const s of this.streams.values()) s.state?.({ watch: -1, state: 'ended', detail: e.message.split('\n')[0] });
    this.streams.clear();
    if (!this.exitedFlag) killGroup(this.pid);
  }

  private lines(stream: NodeJS.ReadableStream | null | undefined, fn: (line: string) => void): Promise<void> {
    if (!stream) return Promise.resolve();
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    rl.on('line', fn);
    return new Promise((r) => rl.once('close', r));
  }
}

function clip(line: string): string {
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
