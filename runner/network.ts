// The run's network mechanisms: its own iptables chains and the fault proxies in front of nodes; the faults
// in runner/faults/ decide what to do with them and record it.
import type { StartedCluster } from './cluster.ts';
import { EnvironmentError } from './process/process-errors.ts';
import type { EventLog } from './records/events.ts';
import { Firewall, tcpRetransmits, type PartitionNode, type RuleCounter, type SocketRetransmits } from './firewall/index.ts';
import type { ProcessGuard } from './process/node-process.ts';
import { FaultProxy, LinkHost, type HostedLink, type Fault } from './proxy/index.ts';
import type { ClusterSpec } from './contract/service.ts';
import type { LinkRecords } from './proxy/link-records.ts';
import type { Clock } from './time/clock.ts';

/** Which backend a block really used (resolved by runner/faults/block.ts). */
export type UsedBackend = 'iptables' | 'proxy';

/** Owns the firewall chains and client-link proxies of one run; `close()` removes all of them. */
export class RunNetwork {
  private firewall?: Firewall;
  private firewallIds: string[] = [];
  private readonly proxies = new Map<string, FaultProxy | HostedLink>();
  /** The worker thread owning the peer gates, started with the first gated cluster. */
  private host?: Promise<LinkHost>;

  constructor(
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly guard?: ProcessGuard,
  ) {}

  /** Puts a fault proxy on the link from `from` ('client' or a dependent) to each node's client port. */
  async proxyLinks(cluster: StartedCluster, from: string): Promise<Map<string, string>> {
    const addresses = new Map<string, string>();
    for (const name of cluster.names) {
      const address = cluster.endpoint(name).address;
      const port = Number(address.split(':').pop());
      // The node's own host: 127.0.0.1, or its SSH host's address.
      const host = address.slice(0, address.lastIndexOf(':')) || '127.0.0.1';
      const proxy = await FaultProxy.start({ name: `${from}→${name}`, listenPort: 0, target: { host, port }, clock: this.clock });
      this.proxies.set(`${from}→${name}`, proxy);
      addresses.set(name, `127.0.0.1:${proxy.port}`);
    }
    return addresses;
  }

  /**
   * A gate at each node's advertised `port` and a link per directed pair "node-i→node-j" (plus
   * "unknown→node-j" for dials no node made), so every peer link is faulted and recorded alone.
   */
  async peerGates(spec: ClusterSpec, port: string): Promise<void> {
    this.host ??= LinkHost.start(this.clock);
    const host = await this.host;
    for (const to of spec.nodes) {
      const dialers = spec.nodes.filter((n) => n !== to && n.user).map((n) => ({ uid: n.user!.uid, link: `${n.name}→${to.name}` }));
      const { links } = await host.gate({ node: to.name, port: to.advertised![port]!, target: { host: '127.0.0.1', port: to.ports[port]! }, dialers, unknownLink: `unknown→${to.name}` });
      for (const l of links) this.proxies.set(l.name, l);
    }
  }

  /** Brings the peer links' records up to date from the link host (a no-op without peer links). */
  async syncLinks(): Promise<void> {
    await (await this.host)?.sync();
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

  /** The proxy of one link; an error names the links that exist. A peer link's records are as of `syncLinks()`. */
  link(from: string, to: string): FaultProxy | HostedLink {
    const p = this.proxies.get(`${from}→${to}`);
    if (!p) throw new EnvironmentError(`No proxied link ${from} → ${to}; the run has ${[...this.proxies.keys()].join(', ') || 'none'}.`);
    return p;
  }

  /** Applies a per-link fault (Toxiproxy-style). */
  async linkFault(from: string, to: string, fault: Fault): Promise<void> {
    await this.link(from, to).setFault(fault);
  }

  /** Ends a link's fault. */
  async linkHeal(from: string, to: string): Promise<void> {
    await this.link(from, to).clearFault();
  }

  /** The seed's port block on all of a node's ports, through the backend the block fault resolved. */
  async blockInbound(node: string, ports: number[], backend: UsedBackend): Promise<void> {
    if (backend === 'iptables') return (await this.fw()).blockInbound(node, ports);
    const proxy = this.proxies.get(`client→${node}`);
    if (!proxy) throw new EnvironmentError(`Cannot block ${node} through the fault proxy: its client link is not proxied (the plan decides this when the cluster starts).`);
    await proxy.setFault({ kind: 'blackhole' });
  }

  /** Removes a node's block from the backend that applied it. */
  async unblockInbound(node: string, backend: UsedBackend): Promise<void> {
    if (backend === 'iptables') await (await this.fw()).unblockInbound(node);
    else await this.link('client', node).clearFault();
  }

  /** Cuts every pair of nodes in different groups, both directions (nodes run under their own uids). */
  async partition(sides: PartitionNode[][]): Promise<void> {
    await (await this.fw()).partition(sides);
  }

  /** Removes the partition. */
  async healPartition(): Promise<void> {
    await (await this.fw()).heal();
  }

  /** Rules of a fault in the run's OUTPUT-path chain (where iptables' owner match works), under `key`. */
  async addRules(key: string, rules: string[][]): Promise<void> {
    await (await this.fw()).addOutputRules(key, rules);
  }

  /** Deletes exactly the rules added under `key`. */
  async removeRules(key: string): Promise<void> {
    await (await this.fw()).removeOutputRules(key);
  }

  /** The kernel's counters of the rules under `key`. */
  async ruleCounters(key: string): Promise<RuleCounter[]> {
    return (await this.fw()).outputRuleCounters(key);
  }

  /** The TCP sockets of `uid` with their retransmissions (the node's own TCP, read from the kernel). */
  tcpRetransmits(uid: number): Promise<SocketRetransmits[]> {
    return tcpRetransmits(uid);
  }

  /** Records of every link (client proxies and peer links), for evidence. */
  async linkRecords(): Promise<Record<string, unknown>> {
    await this.syncLinks();
    return Object.fromEntries([...this.proxies].map(([n, p]) => [n, p.records]));
  }

  /** Removes chains and proxies (idempotent), and tells the watchdog they are gone. */
  async close(): Promise<void> {
    // The host closes its gates and links together: a gate's listener closes once its links closed what it accepted.
    await Promise.all([...[...this.proxies.values()].map((p) => p.close()), this.host?.then((h) => h.close())]);
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
