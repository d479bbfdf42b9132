// One host as a run uses it: its master connection, its reaper, its own iptables chain, and the checks that must
// pass before any node starts there (iptables present, binary executable, ports free).
import type { ResultPromise } from 'execa';
import type { ProcessGuard } from '../contract/process-guard.ts';
import type { HostConfig } from './hosts-config.ts';
import { HostsError } from './hosts-error.ts';
import { HostReaper } from './host-reaper.ts';
import { SshMaster } from './ssh-master.ts';
import { CommandChannel } from './command-channel.ts';
import { shellQuote } from './ssh-target.ts';

/** A connected host; close() ends its reaper (which undoes what is left) and its master. */
export class HostSession {
  private chain?: Promise<string>;
  private readonly rules = new Map<string, string[]>();

  private constructor(
    readonly config: HostConfig,
    readonly master: SshMaster,
    readonly reaper: HostReaper,
    /** Names the run's chain on this host, e.g. FL-<pid>-<hex>. */
    private readonly chainName: string,
    /** A shell kept open for faults (signals, rules): one round trip each. */
    private readonly commands: CommandChannel,
  ) {}

  /** Runs a short command through the host's open shell; a non-zero exit is a HostsError naming `field` and `fix`. */
  async exec(command: string, field = 'command', fix = 'see the message'): Promise<string> {
    const r = await this.commands.run(command);
    if (r.exitCode !== 0) throw new HostsError(this.name, field, `"${command}" exited with ${r.exitCode}: ${r.stdout.trim().split('\n').slice(-3).join(' | ')}`, fix);
    return r.stdout;
  }

  /** Like exec(), returning the exit code instead of failing. */
  async tryExec(command: string): Promise<number> {
    return (await this.commands.run(command)).exitCode;
  }

  /**
   * A session already open for the next node (`sh -s`, waiting for its script): a new SSH session costs what the
   * host's login shell costs (measured here: root's .bashrc runs `pyenv init`, ~2.4 s under load), so it is paid
   * ahead of time, never inside a fault or a restart.
   */
  private spare?: ResultPromise;

  /** Takes the ready session for a node and opens the next one in the background. */
  nodeChannel(): ResultPromise {
    const channel = this.spare ?? this.master.open('exec sh -s', { stdin: 'pipe' });
    this.spare = this.master.open('exec sh -s', { stdin: 'pipe' });
    return channel;
  }

  /** Connects, starts the reaper and checks the host has iptables; a HostsError names the host and the field otherwise. */
  static async open(config: HostConfig, options: { guard?: ProcessGuard; runId: string }): Promise<HostSession> {
    const master = await SshMaster.connect(config, { guard: options.guard });
    try {
      const commands = CommandChannel.open(master);
      const reaper = await HostReaper.start(master);
      const session = new HostSession(config, master, reaper, `FL-${options.runId}`.slice(0, 28), commands);
      session.spare = master.open('exec sh -s', { stdin: 'pipe' });
      return session;
    } catch (e) {
      await master.close();
      throw e;
    }
  }

  get name(): string {
    return this.config.name;
  }

  /** Fails (naming the field) unless `binary` runs on the host and none of `ports` is taken on its address. */
  async preflight(binary: string, ports: number[]): Promise<void> {
    const r = await this.commands.run(`test -x ${shellQuote(binary)} || echo "no-binary"; command -v iptables >/dev/null || echo "no-iptables"; command -v ss >/dev/null && ss -Hltn || true`);
    if (r.stdout.includes('no-binary')) throw new HostsError(this.name, 'binary', `"${binary}" is not an executable file on ${this.config.address}.`, `install it there, or set "binary" in the hosts file to its path on the host.`);
    if (r.stdout.includes('no-iptables')) throw new HostsError(this.name, 'iptables', `iptables is not installed on ${this.config.address}: network faults (the seed's iptables -A INPUT -s <node> -j DROP) cannot run there.`, 'install it on the host (apt-get install iptables), or run only scenarios without network faults.');
    const listening = new Set([...r.stdout.matchAll(/\S+:(\d+)\s/g)].map((m) => Number(m[1])));
    const taken = ports.filter((p) => listening.has(p));
    if (taken.length) throw new HostsError(this.name, 'port', `port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} already taken on ${this.config.address} (ss -ltn lists a listener).`, 'stop what listens there, or move the run to other ports (FAULTLINE_PORT_BASE).');
  }

  /**
   * The seed's partition rule on this host, in the run's own chain (jumped to from INPUT): drop everything from
   * `source`. Called on both sides of a cut, so it holds in both directions. Returns the rule as applied.
   */
  async dropFrom(source: string): Promise<string> {
    return (await this.addRules('partition', [['-s', source, '-j', 'DROP']]))[0]!;
  }

  /** Removes the partition's rules on this host. */
  async heal(): Promise<void> {
    await this.removeRules('partition');
  }

  /** Adds rules (arguments after `-A <chain>`) under `key`, in one round trip; returns them as applied. */
  async addRules(key: string, rules: string[][]): Promise<string[]> {
    const chain = await this.ensureChain();
    const lines = rules.map((r) => `-A ${chain} ${r.join(' ')}`);
    await this.exec(lines.map((l) => `iptables -w 5 ${l}`).join(' && '), 'iptables', 'run as root on the host, with iptables installed.');
    this.rules.set(key, [...(this.rules.get(key) ?? []), ...lines]);
    return lines.map((l) => `iptables ${l}`);
  }

  /** Deletes exactly the rules added under `key` (none: no-op). */
  async removeRules(key: string): Promise<void> {
    const lines = this.rules.get(key);
    if (!lines?.length) return;
    await this.exec(lines.map((l) => `iptables -w 5 -D${l.slice(2)}`).join(' && '), 'iptables', 'run as root on the host.');
    this.rules.delete(key);
  }

  /** Ends the reaper (it kills the run's nodes, removes its chain and dirs on the host) and the master. */
  async close(): Promise<string[]> {
    try {
      this.spare?.stdin?.end();
      await this.commands.close();
      return await this.reaper.close();
    } finally {
      await this.master.close();
    }
  }

  private ensureChain(): Promise<string> {
    this.chain ??= (async () => {
      const c = this.chainName;
      // Registered first: if the runner dies between -N and -I, the reaper still removes both.
      await this.reaper.register('chain', c);
      await this.exec(`iptables -w 5 -N ${c} && iptables -w 5 -I INPUT 1 -j ${c}`, 'iptables', 'run as root on the host, with iptables installed.');
      return c;
    })();
    return this.chain;
  }
}
