// One host as a run uses it: its master connection, its reaper, its own iptables chain, and the checks that must
// pass before any node starts there (iptables present, binary executable, ports free).
import type { ProcessGuard } from '../contract/process-guard.ts';
import type { HostConfig } from './hosts-config.ts';
import { HostsError } from './hosts-error.ts';
import { HostReaper } from './host-reaper.ts';
import { SshMaster } from './ssh-master.ts';
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
  ) {}

  /** Connects, starts the reaper and checks the host has iptables; a HostsError names the host and the field otherwise. */
  static async open(config: HostConfig, options: { guard?: ProcessGuard; runId: string }): Promise<HostSession> {
    const master = await SshMaster.connect(config, { guard: options.guard });
    try {
      const reaper = await HostReaper.start(master);
      return new HostSession(config, master, reaper, `FL-${options.runId}`.slice(0, 28));
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
    const r = await this.master.run(`test -x ${shellQuote(binary)} || echo "no-binary"; command -v iptables >/dev/null || echo "no-iptables"; command -v ss >/dev/null && ss -Hltn || true`);
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
    await this.master.must(lines.map((l) => `iptables -w 5 ${l}`).join(' && '), 'iptables', 'run as root on the host, with iptables installed.');
    this.rules.set(key, [...(this.rules.get(key) ?? []), ...lines]);
    return lines.map((l) => `iptables ${l}`);
  }

  /** Deletes exactly the rules added under `key` (none: no-op). */
  async removeRules(key: string): Promise<void> {
    const lines = this.rules.get(key);
    if (!lines?.length) return;
    await this.master.must(lines.map((l) => `iptables -w 5 -D${l.slice(2)}`).join(' && '), 'iptables', 'run as root on the host.');
    this.rules.delete(key);
  }

  /** Ends the reaper (it kills the run's nodes, removes its chain and dirs on the host) and the master. */
  async close(): Promise<string[]> {
    try {
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
      await this.master.must(`iptables -w 5 -N ${c} && iptables -w 5 -I INPUT 1 -j ${c}`, 'iptables', 'run as root on the host, with iptables installed.');
      return c;
    })();
    return this.chain;
  }
}
