// The run's network faults: the seed's port block and true partitions through the run's own
// iptables chains, or the fault proxy in front of each node's client port where iptables is not usable.
import { formatMs } from '../dsl/duration.ts';
import type { BlockBackend } from '../dsl/plan.ts';
import type { StartedCluster } from './cluster.ts';
import { EnvironmentError } from './errors.ts';
import type { EventLog } from './events.ts';
import { Firewall, firewallCapability } from './firewall/index.ts';
import type { ProcessGuard } from './node-process.ts';
import { FaultProxy, type Fault } from './proxy/index.ts';
import type { LinkRecords } from './proxy/link-records.ts';
import type { Clock } from './clock.ts';

/** Which backend a block really used, for titles and evidence. */
export type UsedBackend = 'iptables' | 'proxy';

/** Owns the firewall chains and client-link proxies of one run; `close()` removes all of them. */
export class RunNetwork {
  private firewall?: Firewall;
  private firewallIds: string[] = [];
  private readonly proxies = new Map<string, FaultProxy>();
  private readonly blocked = new Map<string, UsedBackend>();
  private partition?: { started: number; detail: string; nodes: string[] };

  constructor(
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly guard?: ProcessGuard,
  ) {}

  /** The backend `block({ via })` resolves to on this machine; throws when the asked one is unusable. */
  static backend(via: BlockBackend): UsedBackend {
    const cap = firewallCapability();
    if (via === 'proxy') return 'proxy';
    if (cap.usable) return 'iptables';
    if (via === 'iptables') throw new EnvironmentError(`block({ via: 'iptables' }) needs the firewall: ${cap.reason}. Run as root with iptables installed, or write block() to fall back to the fault proxy.`);
    return 'proxy';
  }

  /** Puts a fault proxy on the link from `from` ('client' or a dependent) to each node's client port. */
  async proxyLinks(cluster: StartedCluster, from: string): Promise<Map<string, string>> {
    const addresses = new Map<string, string>();
    for (const name of cluster.names) {
      const port = Number(cluster.endpoint(name).address.split(':').pop());
      const proxy = await FaultProxy.start({ name: `${from}→${name}`, listenPort: 0, target: { host: '127.0.0.1', port }, clock: this.clock });
      this.proxies.set(`${from}→${name}`, proxy);
      addresses.set(name, `127.0.0.1:${proxy.port}`);
    }
    return addresses;
  }

  /** The address a client uses for a node: its proxy when client links are proxied. */
  clientAddress(node: string, direct: string): string {
    const p = this.proxies.get(`client→${node}`);
    return p ? `127.0.0.1:${p.port}` : direct;
  }

  /** The address of a proxied link's listener, when that link exists. */
  linkAddress(from: string, to: string): string | undefined {
    const p = this.proxies.get(`${from}→${to}`);
    return p ? `127.0.0.1:${p.port}` : undefined;
  }

  /** What one link recorded, when that link exists. */
  linkRecordsOf(from: string, to: string): LinkRecords | undefined {
    return this.proxies.get(`${from}→${to}`)?.records;
  }

  /** The proxy of one link; an error names the links that exist. */
  link(from: string, to: string): FaultProxy {
    const p = this.proxies.get(`${from}→${to}`);
    if (!p) throw new EnvironmentError(`No proxied link ${from} → ${to}; the run has ${[...this.proxies.keys()].join(', ') || 'none'}.`);
    return p;
  }

  /** Applies a per-link fault (Toxiproxy-style). */
  async linkFault(from: string, to: string, fault: Fault, detail: string): Promise<void> {
    await this.link(from, to).setFault(fault);
    this.events.record('fault.start', { fault: 'proxy', node: to, nodes: [to], detail, link: `${from}→${to}` });
  }

  /** Ends a link's fault. */
  async linkHeal(from: string, to: string): Promise<void> {
    await this.link(from, to).clearFault();
    this.events.record('fault.end', { fault: 'proxy', node: to, nodes: [to], detail: `heal ${from} → ${to}`, link: `${from}→${to}` });
  }

  /** The seed's port block on all of a node's ports; returns what was done, for the step title. */
  async block(node: string, ports: number[], via: BlockBackend): Promise<string> {
    const backend = RunNetwork.backend(via);
    if (backend === 'iptables') {
      await (await this.fw()).blockInbound(node, ports);
      this.blocked.set(node, backend);
      this.events.record('fault.start', { fault: 'block', node, nodes: [node], detail: `block ${node} (iptables)`, backend, ports });
      return `via iptables: -A INPUT -p tcp --dport ${ports.join(',')} -j DROP`;
    }
    const proxy = this.proxies.get(`client→${node}`);
    if (!proxy) throw new EnvironmentError(`Cannot block ${node} through the fault proxy: its client link is not proxied (the plan decides this when the cluster starts).`);
    await proxy.setFault({ kind: 'blackhole' });
    this.blocked.set(node, backend);
    this.events.record('fault.start', { fault: 'block', node, nodes: [node], detail: `block ${node} (proxy blackhole)`, backend });
    return 'via the fault proxy: client link blackholed (peer links untouched)';
  }

  /** Removes a node's block, whichever backend applied it. */
  async unblock(node: string): Promise<void> {
    const backend = this.blocked.get(node);
    if (backend === 'iptables') await this.firewall!.unblockInbound(node);
    else if (backend === 'proxy') await this.proxies.get(`client→${node}`)!.clearFault();
    else throw new EnvironmentError(`Cannot unblock ${node}: it is not blocked.`);
    this.blocked.delete(node);
    this.events.record('fault.end', { fault: 'block', node, nodes: [node], detail: `unblock ${node}` });
  }

  /** Cuts every pair of nodes in different groups, both directions (nodes run under their own uids). */
  async partitionNodes(cluster: StartedCluster, groups: string[][], kind: 'partition' | 'isolate'): Promise<string> {
    const sides = groups.map((g) =>
      g.map((name) => {
        const spec = cluster.nodeSpec(name);
        if (!spec.user) throw new EnvironmentError(`Cannot partition ${name}: it does not run under its own uid (the plan starts nodes under per-node uids when it partitions).`);
        return { uid: spec.user.uid, ports: Object.values(spec.ports) };
      }),
    );
    await (await this.fw()).partition(sides);
    const detail = groups.map((g) => g.join(', ')).join(' | ');
    this.partition = { started: this.clock.now(), detail, nodes: groups.flat() };
    this.events.record('fault.start', { fault: kind, nodes: kind === 'isolate' ? groups[0] : groups.flat(), detail: `${kind} ${detail}` });
    return detail;
  }

  /** Removes the partition; returns how long it lasted. */
  async heal(): Promise<string> {
    if (!this.partition || !this.firewall) throw new EnvironmentError('Cannot heal: no partition is in place.');
    await this.firewall.heal();
    const lasted = formatMs(this.clock.now() - this.partition.started);
    this.events.record('fault.end', { fault: 'partition', nodes: this.partition.nodes, detail: `heal after ${lasted}` });
    this.partition = undefined;
    return lasted;
  }

  /** Link records of the client proxies, for evidence. */
  linkRecords(): Record<string, unknown> {
    return Object.fromEntries([...this.proxies].map(([n, p]) => [n, p.records]));
  }

  /** Removes chains and proxies (idempotent), and tells the watchdog they are gone. */
  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
    if (this.firewall) {
      await this.firewall.close();
      await Promise.all(this.firewallIds.map((id) => this.guard?.unregister(id).catch(() => undefined)));
    }
  }

  private async fw(): Promise<Firewall> {
    if (!this.firewall) {
      this.firewall = await Firewall.create({ runId: `${process.pid}`, events: this.events });
      // The watchdog removes the chains if this worker dies before close().
      if (this.guard) this.firewallIds = await Promise.all(this.firewall.cleanup.map((item) => this.guard!.register(item)));
    }
    return this.firewall;
  }
}
