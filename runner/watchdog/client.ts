// The owner's side of the watchdog: starts the reaper, registers what the run creates, awaits each ack.
//
// The reaper (reaper-process.mjs, see its header for the design) is a detached plain-Node process that
// cleans everything still registered when this process dies in any way, SIGKILL included. register()
// writes its message to the socket before it returns (libuv tries the write at once), so a registration
// made right before a SIGKILL is still honoured; awaiting the ack also surfaces a refused registration.
// close() is the normal end: the reaper cleans whatever is still registered (that would leak otherwise),
// reports it, and exits. The socket is unref'd while no request is pending, so the owner exits by itself.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { validateWatchItem, type WatchItem } from './watch-item.ts';
import { WatchdogError } from './watchdog-error.ts';

const REAPER = fileURLToPath(new URL('./reaper-process.mjs', import.meta.url));
const MAX_SOCKET_PATH = 107;

/** How the reaper is started. */
export interface WatchdogOptions {
  /**
   * Where the reaper logs what it cleaned; default: in its private temp dir, which is always removed on exit
   * (so nothing of a run stays in /tmp; give a logFile to keep the evidence).
   */
  logFile?: string;
  /** Remove `logFile` on exit when nothing had to be cleaned (default false: the log stays). */
  logOnlyWhenCleaned?: boolean;
  /** More pids whose death also triggers cleanup (e.g. the Playwright runner), checked with their start time. */
  alsoWatch?: number[];
  /** How often the reaper checks the watched pids, in ms (default 500). */
  livenessMs?: number;
  /** How long to wait for the reaper to be ready, in ms (default 5000). */
  startTimeoutMs?: number;
}

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (e: Error) => void;
}

interface Reply {
  seq: number;
  ok?: boolean;
  error?: string;
  reaped?: string[];
}

/** A connection to one running reaper; everything registered through it is removed when this process dies. */
export class WatchdogClient {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private closing?: Promise<string[]>;
  private lost?: WatchdogError;

  private constructor(
    /** The reaper's pid. */
    readonly pid: number,
    /** The reaper's log: one line per registration and per cleaned item. */
    readonly logFile: string,
    private readonly socket: net.Socket,
  ) {
    socket.unref();
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        let reply: Reply;
        try {
          reply = JSON.parse(line) as Reply;
        } catch {
          continue; // not ours to crash on: the pending request fails when the connection closes
        }
        this.pending.get(reply.seq)?.resolve(reply);
        this.pending.delete(reply.seq);
        if (this.pending.size === 0) socket.unref();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.lost = new WatchdogError(`The watchdog (pid ${this.pid}) is gone, so nothing new can be registered: it exits after close() or when a watched pid dies; see its log ${this.logFile}.\n  Fix: start a new WatchdogClient (watchdogForThisProcess() does so after close()).`);
      for (const p of this.pending.values()) p.reject(this.lost);
      this.pending.clear();
    });
  }

  /** Spawns a reaper for this process, connects, and resolves once it is ready. */
  static async start(options: WatchdogOptions = {}): Promise<WatchdogClient> {
    // Named with the owner's pid, so a test can tell its own run's leftovers from other runs' on this machine.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `faultline-watchdog-${process.pid}-`));
    const socketPath = path.join(dir, 'reaper.sock');
    if (socketPath.length > MAX_SOCKET_PATH) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new WatchdogError(`The watchdog's socket path "${socketPath}" is longer than ${MAX_SOCKET_PATH} characters, the limit of Unix sockets.\n  Fix: set TMPDIR to a shorter directory.`);
    }
    const logFile = path.resolve(options.logFile ?? path.join(dir, 'reaper.log'));
    if (options.logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const config = { owner: process.pid, socket: socketPath, log: logFile, dir, logOnlyWhenCleaned: options.logOnlyWhenCleaned ?? false, alsoWatch: options.alsoWatch ?? [], livenessMs: options.livenessMs ?? 500 };
    // A plain node with a minimal env: no loader from NODE_OPTIONS, and the sbin dirs for iptables and ip.
    const sub = execa(process.execPath, ['--no-warnings', REAPER, JSON.stringify(config)], {
      detached: true,
      cleanup: false,
      reject: false,
      buffer: false,
      stdin: 'ignore',
      cwd: '/',
      extendEnv: false,
      env: { PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`, TMPDIR: os.tmpdir() },
    });
    sub.catch(() => {});
    const stderr: string[] = [];
    sub.stderr?.on('data', (d: Buffer) => stderr.push(String(d)));
    const timeoutMs = options.startTimeoutMs ?? 5000;
    const ready = await new Promise<{ pid: number } | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      readline.createInterface({ input: sub.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { pid: number });
      });
      sub.stdout!.once('close', () => setTimeout(() => resolve(undefined), 50));
    });
    sub.stdout?.destroy();
    sub.stderr?.destroy();
    sub.unref();
    if (!ready) {
      if (sub.pid !== undefined) tryKill(sub.pid);
      fs.rmSync(dir, { recursive: true, force: true });
      throw new WatchdogError(`The watchdog did not become ready within ${timeoutMs} ms, so this run would not be cleaned up after a crash.\n  Fix: check that "${process.execPath} ${REAPER}" runs.${stderr.length ? `\n  Its stderr: ${stderr.join('').trim().slice(-800)}` : ''}`);
    }
    const socket = net.connect(socketPath);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (e) => reject(new WatchdogError(`Could not connect to the watchdog at ${socketPath}: ${e.message}.\n  Fix: check that ${os.tmpdir()} allows Unix sockets.`, { cause: e })));
    });
    return new WatchdogClient(ready.pid, logFile, socket);
  }

  /** Registers something to remove if this process dies; resolves with its id once the reaper holds it. */
  async register(item: WatchItem): Promise<string> {
    validateWatchItem(item);
    const id = `${process.pid}-${this.seq + 1}`;
    await this.request({ op: 'register', id, item });
    return id;
  }

  /** Forgets a registration because the owner removed the thing itself. */
  async unregister(id: string): Promise<void> {
    await this.request({ op: 'unregister', id });
  }

  /** Normal end: the reaper removes whatever is still registered, returns what it did, and exits. */
  close(): Promise<string[]> {
    this.closing ??= this.lost
      ? Promise.resolve([])
      : this.request({ op: 'close' }).then((r) => {
          this.socket.end();
          return r.reaped ?? [];
        });
    return this.closing;
  }

  /** False once close() was called or the reaper is gone. */
  get open(): boolean {
    return !this.closing && !this.lost;
  }

  private request(body: Record<string, unknown>): Promise<Reply> {
    if (this.lost) return Promise.reject(this.lost);
    if (this.closing) return Promise.reject(new WatchdogError('The watchdog was closed: nothing can be registered any more.\n  Fix: register before close(), or start a new WatchdogClient.'));
    const seq = ++this.seq;
    const reply = new Promise<Reply>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    this.socket.ref();
    this.socket.write(`${JSON.stringify({ seq, ...body })}\n`);
    return reply.then((r) => {
      if (r.error) throw new WatchdogError(r.error);
      return r;
    });
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
