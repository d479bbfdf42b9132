// Hosts here: N network namespaces joined by veth pairs to a bridge in a namespace of their own, each running
// Debian's sshd on its own 198.18 address and accepting only the run's key; the runner reaches them through one
// veth into the bridge. Everything is registered with the watchdog first, so a SIGKILLed runner leaves nothing.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { ProcessGuard } from '../contract/process-guard.ts';
import { HostsError } from './hosts-error.ts';
import { ip } from './ip-command.ts';
import { hostFiles, makeKeyPair, writeKnownHosts } from './lab-keys.ts';
import { labNames, type LabNames } from './lab-names.ts';
import { sshdConfig } from './sshd-config.ts';

/** The sshd the lab runs: Debian's own (package openssh-server). */
export const SSHD = '/usr/sbin/sshd';
const SSH_PORT = 22;
/**
 * Runs in the host's own mount namespace (ip netns exec makes one, a slave of the machine's): hides root's start-up
 * files behind an empty one, then becomes sshd. Why: every SSH session runs them (bash sources .bashrc under sshd);
 * this machine's run `pyenv init` — seconds per session and a lock file that a session killed mid-way (the run's
 * SIGKILL clean-up) leaves behind, hanging every later root shell for 60 s. A lab host is a clean host.
 */
const CLEAN_HOME = 'for f in $1; do mount --bind "$2" "$f" || exit 1; done; shift 2; exec "$@"';
const READY_MS = 10_000;

/** One lab host: its namespace, its address (where its sshd listens and its peers reach it), its sshd. */
export interface LabHost {
  name: string;
  netns: string;
  address: string;
  port: number;
  sshdPid: number;
  sshdLog: string;
}

/** Options of HostLab.create(). */
export interface HostLabOptions {
  hosts: number;
  /** The watchdog: the lab's namespaces (with every process in them), veth and dir are removed if the owner dies. */
  guard?: ProcessGuard;
  /** Where the lab's dir goes (keys, configs, sshd logs); default the OS temp dir. */
  parent?: string;
}

/** A running lab; `close()` removes every namespace, interface, process and file it made. */
export class HostLab {
  private closing?: Promise<void>;

  private constructor(
    readonly names: LabNames,
    /** Keys, sshd configs, pid files and logs (0700, root's). */
    readonly dir: string,
    /** The run's private key: the only key the lab's sshd accept. */
    readonly key: string,
    /** Every host's address with its own host key, for StrictHostKeyChecking=yes. */
    readonly knownHosts: string,
    readonly hosts: LabHost[],
    private readonly registrations: string[],
    private readonly guard: ProcessGuard | undefined,
    private readonly sshds: ResultPromise[],
  ) {}

  /** Makes the namespaces, the bridge, the runner's route (to the lab's /24 only), keys and one sshd per host. */
  static async create(options: HostLabOptions): Promise<HostLab> {
    if (!Number.isInteger(options.hosts) || options.hosts < 1 || options.hosts > 200) throw new HostsError('lab', 'hosts', `a lab has 1 to 200 hosts, got ${options.hosts}.`, 'ask for e.g. lab:3.');
    requireSshd();
    const names = labNames(await ip('lab', ['-4', 'route']));
    const dir = fs.mkdtempSync(path.join(options.parent ?? os.tmpdir(), `faultline-lab-${process.pid}-${names.id}-`));
    const registrations: string[] = [];
    const sshds: ResultPromise[] = [];
    const register = async (item: Parameters<ProcessGuard['register']>[0]) => {
      if (options.guard) registrations.push(await options.guard.register(item));
    };
    const hosts: LabHost[] = [];
    const lab = () => new HostLab(names, dir, path.join(dir, 'id_ed25519'), path.join(dir, 'known_hosts'), hosts, registrations, options.guard, sshds);
    try {
      await register({ kind: 'dir', path: dir });
      await ip('lab', ['netns', 'add', names.bridgeNetns]);
      await register({ kind: 'netns', name: names.bridgeNetns, killProcesses: true });
      await ip('lab', ['-n', names.bridgeNetns, 'link', 'set', 'lo', 'up']);
      await ip('lab', ['-n', names.bridgeNetns, 'link', 'add', 'br0', 'type', 'bridge']);
      await ip('lab', ['-n', names.bridgeNetns, 'link', 'set', 'br0', 'up']);
      // The runner's way in: one veth whose address makes the kernel route the lab's /24 (nothing else) to it.
      await ip('lab', ['link', 'add', names.runnerVeth, 'type', 'veth', 'peer', 'name', 'runner', 'netns', names.bridgeNetns]);
      await register({ kind: 'command', argv: ['ip', 'link', 'delete', names.runnerVeth], label: `delete the lab's veth ${names.runnerVeth}` });
      await ip('lab', ['-n', names.bridgeNetns, 'link', 'set', 'runner', 'master', 'br0', 'up']);
      await ip('lab', ['addr', 'add', `${names.runnerAddress}/24`, 'dev', names.runnerVeth]);
      await ip('lab', ['link', 'set', names.runnerVeth, 'up']);
      const pub = await makeKeyPair(path.join(dir, 'id_ed25519'), `faultline-lab-${names.id}`);
      const authorized = path.join(dir, 'authorized_keys');
      fs.writeFileSync(authorized, `${pub}\n`, { mode: 0o600 });
      const known: { address: string; port: number; hostKeyPub: string }[] = [];
      const cleanRc = path.join(dir, 'clean-rc');
      fs.writeFileSync(cleanRc, '# A lab host starts sessions without this machine\'s own shell start-up files.\n');
      const dotfiles = ['.bashrc', '.profile', '.bash_profile'].map((f) => path.join(os.homedir(), f)).filter((f) => fs.existsSync(f));
      for (let i = 1; i <= options.hosts; i++) {
        const host = `h${i}`;
        const netns = names.hostNetns(i);
        const address = names.hostAddress(i);
        await ip(host, ['netns', 'add', netns]);
        await register({ kind: 'netns', name: netns, killProcesses: true });
        await ip(host, ['-n', names.bridgeNetns, 'link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
        await ip(host, ['-n', names.bridgeNetns, 'link', 'set', host, 'master', 'br0', 'up']);
        await ip(host, ['-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
        await ip(host, ['-n', netns, 'link', 'set', 'eth0', 'up']);
        await ip(host, ['-n', netns, 'link', 'set', 'lo', 'up']);
        const files = hostFiles(dir, host);
        known.push({ address, port: SSH_PORT, hostKeyPub: await makeKeyPair(files.hostKey, `${host}@${netns}`) });
        fs.writeFileSync(files.config, sshdConfig({ address, port: SSH_PORT, hostKey: files.hostKey, authorizedKeys: authorized, pidFile: files.pidFile }));
        const sub = execa('ip', ['netns', 'exec', netns, 'sh', '-c', CLEAN_HOME, 'sh', dotfiles.join(' '), cleanRc, SSHD, '-D', '-f', files.config, '-E', files.log], { detached: true, cleanup: false, reject: false, buffer: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
        sub.catch(() => undefined);
        sshds.push(sub);
        hosts.push({ name: host, netns, address, port: SSH_PORT, sshdPid: sub.pid ?? 0, sshdLog: files.log });
      }
      writeKnownHosts(path.join(dir, 'known_hosts'), known);
      await Promise.all(hosts.map((h, i) => waitListening(h, sshds[i]!)));
      return lab();
    } catch (e) {
      await lab().close();
      throw e;
    }
  }

  /**
   * The lab as a hosts file's content: each host by name, the run's key and known_hosts, nodes as plain processes
   * with data dirs under the lab's dir (one dir per host: the namespaces share this machine's files).
   */
  hostsJson(): { $comment: string; hosts: Record<string, Record<string, unknown>> } {
    const hosts = Object.fromEntries(this.hosts.map((h) => [h.name, { address: h.address, port: h.port, user: 'root', key: this.key, knownHosts: this.knownHosts, run: { process: { pidFile: '{dataDir}.pid' } }, dataDir: path.join(this.dir, h.name, '{run}', '{node}'), peerAddress: h.address }]));
    return { $comment: `Made by the host lab ${this.names.id} (network namespaces on this machine); removed with it.`, hosts };
  }

  /** Writes hostsJson() as faultline.hosts.json in the lab's dir; returns its path. */
  writeHostsFile(): string {
    const file = path.join(this.dir, 'faultline.hosts.json');
    fs.writeFileSync(file, `${JSON.stringify(this.hostsJson(), null, 2)}\n`);
    return file;
  }

  /** Removes every process in the lab's namespaces, the namespaces, the runner's veth and the lab's dir; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const errors: unknown[] = [];
      const step = (f: () => Promise<unknown>) => f().catch((e: unknown) => void errors.push(e));
      for (const h of this.hosts) await step(() => killAllIn(h.netns));
      await Promise.allSettled(this.sshds);
      for (const h of this.hosts) await step(() => ip(h.name, ['netns', 'delete', h.netns]));
      await step(() => killAllIn(this.names.bridgeNetns));
      await step(async () => {
        if (await linkExists(this.names.runnerVeth)) await ip('lab', ['link', 'delete', this.names.runnerVeth]);
      });
      await step(async () => {
        if (fs.existsSync(`/run/netns/${this.names.bridgeNetns}`)) await ip('lab', ['netns', 'delete', this.names.bridgeNetns]);
      });
      fs.rmSync(this.dir, { recursive: true, force: true });
      await Promise.all(this.registrations.map((id) => this.guard?.unregister(id).catch(() => undefined)));
      if (errors.length) throw errors[0];
    })();
    return this.closing;
  }
}

/** Fails before anything is made when Debian's sshd is missing. */
function requireSshd(): void {
  if (!fs.existsSync(SSHD)) throw new HostsError('lab', 'sshd', `${SSHD} is not installed.`, 'run "npm run bootstrap" (it installs openssh-server without starting the distribution\'s sshd), or apt-get install openssh-server.');
  // sshd refuses to start without its privilege-separation dir, which systemd would make at boot.
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
}

/** Waits until the host's sshd accepts TCP on its address; fails with its log when it exits or never listens. */
async function waitListening(host: LabHost, sub: ResultPromise): Promise<void> {
  const deadline = Date.now() + READY_MS;
  let exited = false;
  void sub.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    if (await connects(host.address, host.port)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  const log = fs.existsSync(host.sshdLog) ? fs.readFileSync(host.sshdLog, 'utf8').trim().split('\n').slice(-5).join('\n    ') : '(no log)';
  throw new HostsError(host.name, 'sshd', `${SSHD} in namespace "${host.netns}" ${exited ? 'exited' : `did not listen on ${host.address}:${host.port} within ${READY_MS} ms`}; its log:\n    ${log}`, 'see the log; a leftover lab may hold the address (ip netns list | grep ^fl-).');
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 500 });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
  });
}

/** SIGKILLs every process in a namespace of ours (its sshd, sessions, nodes) and waits until none is left. */
async function killAllIn(netns: string): Promise<void> {
  if (!fs.existsSync(`/run/netns/${netns}`)) return;
  for (let round = 0; round < 100; round++) {
    const pids = (await ip(netns, ['netns', 'pids', netns])).split('\n').filter(Boolean).map(Number);
    if (!pids.length) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new HostsError(netns, 'processes', `processes in namespace "${netns}" survived SIGKILL for 2 s.`, `look at them with "ip netns pids ${netns}".`);
}

async function linkExists(name: string): Promise<boolean> {
  const r = await execa('ip', ['link', 'show', name], { reject: false, stdin: 'ignore' });
  return r.exitCode === 0;
}
