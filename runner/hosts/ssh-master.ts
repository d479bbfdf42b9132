// One multiplexed OpenSSH connection per host: a master we own (its pid is ours, so the watchdog can end it) and
// every command, node and log stream a channel over it, so a fault on the host costs one round trip, not a handshake.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { ProcessGuard } from '../contract/process-guard.ts';
import { HostsError } from './hosts-error.ts';
import { sshConnectError } from './ssh-errors.ts';
import { sshDestination, sshOptions, type SshTarget } from './ssh-target.ts';

const CONNECT_MS = 20_000;

/** What a remote command returned. */
export interface RemoteResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * A started master (`ssh -M -N`, not ControlPersist: a persisting master forks away and its pid would be nobody's).
 * @example
 * const h = await SshMaster.connect(target, { dir });
 * await h.run('kill -9 "$(cat /run/x.pid)"');
 * await h.close();
 */
export class SshMaster {
  private closing?: Promise<void>;
  private guardId?: string;
  private dirGuardId?: string;

  private constructor(
    readonly target: SshTarget,
    /** The control socket, in a private dir removed by close(). */
    readonly controlPath: string,
    private readonly master: ResultPromise,
    private readonly guard?: ProcessGuard,
  ) {}

  /** The master's pid; killing it drops every channel (and fires the host's reaper). */
  get pid(): number {
    return this.master.pid!;
  }

  /** Opens the master and waits until it answers `-O check`; a refused key or unreachable host is a HostsError naming the field. */
  static async connect(target: SshTarget, options: { guard?: ProcessGuard } = {}): Promise<SshMaster> {
    // Its own short private dir: a socket path holds 107 bytes and ssh appends 17 while it binds.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flssh-'));
    const controlPath = path.join(dir, 'cm');
    const master = execa('ssh', [...sshOptions(target), '-o', 'ControlMaster=yes', '-o', `ControlPath=${controlPath}`, '-o', 'ControlPersist=no', '-N', sshDestination(target)], {
      detached: true,
      cleanup: false,
      reject: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      buffer: true,
    });
    let stderr = '';
    master.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const h = new SshMaster(target, controlPath, master, options.guard);
    if (options.guard) h.dirGuardId = await options.guard.register({ kind: 'dir', path: dir });
    if (options.guard && master.pid) h.guardId = await options.guard.register({ kind: 'pgid', pgid: master.pid, label: `ssh master ${sshDestination(target)}` }).catch(async (e: unknown) => {
      master.kill('SIGKILL');
      throw e;
    });
    let ended = false;
    void master.then(() => (ended = true));
    const deadline = Date.now() + CONNECT_MS;
    while (Date.now() < deadline && !ended) {
      const check = await execa('ssh', ['-o', `ControlPath=${controlPath}`, '-O', 'check', sshDestination(target)], { reject: false, stdin: 'ignore' });
      if (check.exitCode === 0) return h;
      await new Promise((r) => setTimeout(r, 25));
    }
    await h.close();
    if (!ended) throw new HostsError(target.name, 'address', `no SSH connection to ${sshDestination(target)}:${target.port} within ${CONNECT_MS} ms.`, 'check "address" and "port" and that sshd answers there.');
    throw sshConnectError(target, stderr);
  }

  /** ssh arguments for one channel over the master (then the remote command). */
  channelArgs(command: string): string[] {
    return ['-o', `ControlPath=${this.controlPath}`, '-o', 'ControlMaster=no', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', sshDestination(this.target), '--', command];
  }

  /** Runs `command` in the host's shell over the master; resolves with its exit code and output (never rejects on exit code). */
  async run(command: string, options: { input?: string; timeoutMs?: number } = {}): Promise<RemoteResult> {
    this.requireOpen();
    const r = await execa('ssh', this.channelArgs(command), { reject: false, timeout: options.timeoutMs ?? 30_000, ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }) });
    if (r.exitCode === 255 && !r.stdout) throw sshConnectError(this.target, r.stderr);
    return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** Like run(), but a non-zero exit is a HostsError naming `field` and `fix`. */
  async must(command: string, field: string, fix: string): Promise<string> {
    const r = await this.run(command);
    if (r.exitCode !== 0) throw new HostsError(this.target.name, field, `"${command}" exited with ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`, fix);
    return r.stdout;
  }

  /** A long-lived channel (a node, a reaper): the caller owns the returned ssh client process. */
  open(command: string, options: { stdin?: 'pipe' | 'ignore' } = {}): ResultPromise {
    this.requireOpen();
    const sub = execa('ssh', this.channelArgs(command), { detached: true, cleanup: false, reject: false, buffer: false, stdin: options.stdin ?? 'ignore' });
    sub.catch(() => undefined);
    return sub;
  }

  /** True while the master runs and close() was not called. */
  get connected(): boolean {
    return !this.closing && this.master.exitCode === null && this.master.signalCode === null;
  }

  /** Ends the master (every channel with it); idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await execa('ssh', ['-o', `ControlPath=${this.controlPath}`, '-O', 'exit', sshDestination(this.target)], { reject: false, stdin: 'ignore', timeout: 5_000 });
      const gone = await Promise.race([this.master.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 2_000))]);
      if (!gone) {
        try {
          process.kill(-this.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await this.master;
      }
      fs.rmSync(path.dirname(this.controlPath), { recursive: true, force: true });
      for (const id of [this.guardId, this.dirGuardId]) if (id) await this.guard?.unregister(id).catch(() => undefined);
    })();
    return this.closing;
  }

  private requireOpen(): void {
    if (this.closing) throw new HostsError(this.target.name, 'connection', `the SSH connection to ${sshDestination(this.target)} is closed.`, 'use the host before the run closes it.');
  }
}
