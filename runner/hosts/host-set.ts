// The hosts of one worker: from a hosts file, or a namespace lab made for it ("lab:<n>"); connected once, each with
// its master and reaper, and every node placed on them round robin (node i on host i).
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ProcessGuard } from '../contract/process-guard.ts';
import { HostLab } from './host-lab.ts';
import type { HostsConfig } from './hosts-config.ts';
import { HostsError } from './hosts-error.ts';
import { loadHostsFile, parseHosts } from './hosts-file.ts';
import { HostSession } from './host-session.ts';

/** Connected hosts; close() ends every session (each host's reaper undoes what is left) and the lab, if any. */
export class HostSet {
  private constructor(
    readonly config: HostsConfig,
    readonly sessions: HostSession[],
    readonly lab?: HostLab,
  ) {}

  /**
   * `spec` is "lab:<n>" (n namespace hosts on this machine, root only) or a hosts file's path (relative to `root`).
   * Every host is connected and its reaper started before this returns; the first failure closes the rest.
   */
  static async open(spec: string, options: { guard?: ProcessGuard; root?: string } = {}): Promise<HostSet> {
    const lab = /^lab:(\d+)$/.exec(spec);
    let made: HostLab | undefined;
    let config: HostsConfig;
    if (lab) {
      made = await HostLab.create({ hosts: Number(lab[1]), guard: options.guard });
      config = parseHosts(made.hostsJson(), `lab:${lab[1]}`, made.dir);
    } else {
      if (spec.startsWith('lab')) throw new HostsError('(file)', 'FAULTLINE_HOSTS', `"${spec}" is neither "lab:<n>" nor a file.`, 'set FAULTLINE_HOSTS=lab:3, or to the path of your faultline.hosts.json.');
      config = loadHostsFile(path.resolve(options.root ?? process.cwd(), spec));
    }
    const runId = `${process.pid}-${randomBytes(2).toString('hex')}`;
    // All hosts at once: each connection pays its handshake and its login shell's start.
    const opened = await Promise.allSettled(config.hosts.map((host) => HostSession.open(host, { guard: options.guard, runId })));
    const sessions = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = opened.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(sessions.map((s) => s.close()));
      await made?.close();
      throw failed.reason;
    }
    return new HostSet(config, sessions, made);
  }

  /** The host node `index` (1-based) runs on. */
  readonly placement = (index: number): HostSession => this.sessions[(index - 1) % this.sessions.length]!;

  /** Closes every session, then the lab; returns the reapers' lines (what they still had to undo). */
  async close(): Promise<string[]> {
    const reaped = await Promise.allSettled(this.sessions.map((s) => s.close()));
    await this.lab?.close();
    return reaped.flatMap((r, i) => (r.status === 'fulfilled' ? r.value.map((l) => `${this.sessions[i]!.name}: ${l}`) : []));
  }
}
