// Node selectors and what hangs off a node: its faults, its links, its log.
import { formatMs, parseDuration, type Duration } from './duration.ts';
import { ScenarioError } from './errors.ts';
import { callerLocation } from './location.ts';
import type { BlockBackend, LinkFault, LinkRef, NodeTarget, NodeVerb } from './plan.ts';
import type { Recorder } from './recorder.ts';
import { nodeVerbTitle, targetLabel } from './titles.ts';

/** A node selector; binds to one node on first use when the plan runs. */
export class NodeHandle {
  /** @internal */
  constructor(
    private readonly rec: Recorder,
    readonly target: NodeTarget,
  ) {}

  /** The node's log, for timed expectations. @example expect(cluster.node(1).log).toContain(/became leader/, { within: '5s' }) */
  get log(): LogHandle {
    return new LogHandle(this.target);
  }

  /**
   * The link from the test's clients to this node, through a fault proxy: per-link faults, and
   * connection records that show any client's reconnects from the outside.
   * @example const link = cluster.node(1).link(); link.reset(); expect(link).toSeeRetries({ min: 2 })
   */
  link(): LinkHandle {
    return new LinkHandle(this.rec, { id: this.rec.id(), from: 'client', to: this.target });
  }

  /**
   * The link from this dependent server to a cluster node (the server is pointed at a fault proxy
   * per node), or from this node (by number) to a member of its cluster's PD (the node's {pd} then
   * names a fault proxy per PD member).
   * @example expect(proxy.linkTo(leader)).toSeeRetries({ min: 2 }, { initial: '1s', multiplier: 1.6 })
   * @example db.node(1).linkTo(pd.node(2)).blackhole()
   */
  linkTo(node: NodeHandle): LinkHandle {
    if (this.target.kind === 'index') {
      return new LinkHandle(this.rec, { id: this.rec.id(), from: targetLabel(this.target), fromNode: this.target, to: node.target });
    }
    if (this.target.kind !== 'named') {
      this.rec.problems.push(new ScenarioError(`linkTo() starts at a dependent server or at a node chosen by number, not at ${targetLabel(this.target)}.`, "write cluster.dependent('grpc-proxy').linkTo(cluster.node(1)), db.node(1).linkTo(pd.leader()), or node.link() for the clients' link to a node.", callerLocation()));
    }
    return new LinkHandle(this.rec, { id: this.rec.id(), from: this.target.kind === 'named' ? this.target.name : 'client', ...(this.target.kind === 'named' ? { fromNode: this.target } : {}), to: node.target });
  }

  /**
   * The peer link from this node to another member of its cluster: every connection this node dials
   * to that member's peer port, through a gate that tells diallers apart (docs/peer-links.md).
   * `cut()` on it is a one-way partition: the other direction flows.
   * @example cluster.node(1).peerLink(cluster.node(2)).cut()
   */
  peerLink(node: NodeHandle): LinkHandle {
    if ((node.target.cluster ?? '') !== (this.target.cluster ?? '')) {
      this.rec.problems.push(new ScenarioError(`peerLink() joins two members of one cluster, not ${targetLabel(this.target)} and ${targetLabel(node.target)}.`, 'use db.node(1).linkTo(pd.node(1)) for a link to another cluster, or peerLink() between nodes of one cluster.', callerLocation()));
    }
    return new LinkHandle(this.rec, { id: this.rec.id(), from: targetLabel(this.target), to: node.target, peer: { from: this.target } });
  }

  /**
   * Every peer link of this node: its dials to the other members and theirs to it; `.incoming()` and
   * `.outgoing()` narrow it. Faults apply to each link; expectations judge each link on its own.
   * @example expect(cluster.leader().peerLinks().incoming()).toRetryAsClaimed()
   */
  peerLinks(): PeerLinksHandle {
    return new PeerLinksHandle(this.rec, { id: this.rec.id(), from: targetLabel(this.target), to: this.target, peer: { from: this.target, group: 'both' } });
  }

  /** kill -9: sudden node failure (the seed's "Process kill"). @example cluster.leader().kill() */
  kill(): this {
    return this.verb('kill');
  }
  /** SIGTERM and wait for the node to exit (the seed's graceful shutdown). */
  term(): this {
    return this.verb('term');
  }
  /** SIGSTOP: the node freezes, its sockets stay open (the seed's "Pause"). */
  pause(): this {
    return this.verb('pause');
  }
  /** SIGCONT after pause(). */
  resume(): this {
    return this.verb('resume');
  }
  /** Starts a stopped node again on its own data dir and ports, and waits until it is ready. */
  start(): this {
    return this.verb('start');
  }
  /** SIGTERM, wait for exit, start again on the same data dir (the seed's "SIGTERM + start"). */
  restart(): this {
    return this.verb('restart');
  }

  /**
   * The seed's port block: `iptables -A INPUT -p tcp --dport <port> -j DROP` for the node's ports
   * (inside the run's own chain). Only inbound: the node's own outgoing connections still work.
   * @example cluster.leader().block()
   */
  block(options: { via?: BlockBackend } = {}): this {
    const via = options.via ?? 'auto';
    if (!['auto', 'iptables', 'proxy'].includes(via)) {
      this.rec.problems.push(new ScenarioError(`block({ via }) is 'auto', 'iptables' or 'proxy', got ${JSON.stringify(via)}.`, "write block() or block({ via: 'iptables' }).", callerLocation()));
    }
    return this.net('block', via, `block ${targetLabel(this.target)}`);
  }

  /** Removes this node's port block. */
  unblock(): this {
    return this.net('unblock', 'auto', `unblock ${targetLabel(this.target)}`);
  }

  /**
   * Cuts the node off from every other node in both directions (a true partition, unlike block()).
   * @example cluster.leader().isolate()
   */
  isolate(): this {
    return this.net('isolate', 'iptables', `isolate ${targetLabel(this.target)} from the other nodes (both directions)`);
  }

  /**
   * Random packet loss on the node's traffic, both directions (iptables' statistic match by the node's uid, in
   * the run's own chain); restore() ends it. Between 0% and 100%, exclusive: 100% is block() or isolate().
   * @example cluster.node(2).loss('30%'); wait('5s'); cluster.node(2).restore()
   */
  loss(rate: `${number}%`): this {
    const location = callerLocation();
    const pct = /^\d+(\.\d+)?%$/.test(String(rate)) ? Number(String(rate).slice(0, -1)) : NaN;
    if (!(pct > 0 && pct < 100)) this.rec.problems.push(new ScenarioError(`loss() takes a percentage above 0% and below 100%, got ${JSON.stringify(rate)}.`, "write e.g. node.loss('30%'); for 100% use block() or isolate().", location));
    this.rec.add({ kind: 'node.fault', fault: 'loss', params: { probability: pct / 100, percent: `${pct}%` }, healedBy: ['restore'], target: this.target, title: `drop ${pct}% of ${targetLabel(this.target)}'s packets, both directions`, location });
    return this;
  }

  /**
   * Ends every network fault placed on this node through its own verbs (block, loss), whichever it has.
   * @example cluster.node(2).loss('30%'); wait('5s'); cluster.node(2).restore()
   */
  restore(): this {
    this.rec.add({ kind: 'node.fault', fault: 'restore', heals: true, target: this.target, title: `restore ${targetLabel(this.target)} (end its network faults)`, location: callerLocation() });
    return this;
  }

  private net(verb: 'block' | 'unblock' | 'isolate', via: BlockBackend, title: string): this {
    this.rec.add({ kind: 'net', verb, target: this.target, via, title, location: callerLocation() });
    return this;
  }

  private verb(verb: NodeVerb): this {
    this.rec.add({ kind: 'node', verb, target: this.target, title: nodeVerbTitle(verb, targetLabel(this.target)), location: callerLocation() });
    return this;
  }
}

/** A directed link through a fault proxy; each verb is one fault, heal() ends it. */
export class LinkHandle {
  /** @internal */
  constructor(
    private readonly rec: Recorder,
    readonly ref: LinkRef,
  ) {}

  /** @internal */
  protected get recorder(): Recorder {
    return this.rec;
  }

  /** Connection refused: the proxy stops listening (attempts are not visible at the proxy meanwhile). */
  refuse(): this {
    return this.fault({ kind: 'refuse' }, 'refuse connections on');
  }
  /** TCP reset on existing and new connections (each new attempt is recorded). */
  reset(): this {
    return this.fault({ kind: 'reset' }, 'reset connections on');
  }
  /** Accept, then drop every byte: connections hang. */
  blackhole(): this {
    return this.fault({ kind: 'blackhole' }, 'blackhole');
  }
  /** Delay each chunk by `delay` (± jitter). @example link.latency('200ms', { jitter: '50ms' }) */
  latency(delay: Duration, options: { jitter?: Duration } = {}): this {
    const loc = callerLocation();
    const ms = this.rec.guard(() => parseDuration(delay, 'latency()', loc)) ?? 0;
    const jitterMs = options.jitter === undefined ? undefined : (this.rec.guard(() => parseDuration(options.jitter, 'latency({ jitter })', loc)) ?? 0);
    return this.fault({ kind: 'latency', ms, jitterMs }, `add ${formatMs(ms)}${jitterMs ? ` ±${formatMs(jitterMs)}` : ''} latency to`);
  }
  /** Throttle to `bytesPerSecond` each way. */
  bandwidth(bytesPerSecond: number): this {
    if (!(bytesPerSecond > 0)) this.rec.problems.push(new ScenarioError(`bandwidth() takes bytes per second > 0, got ${bytesPerSecond}.`, 'write e.g. link.bandwidth(64 * 1024).', callerLocation()));
    return this.fault({ kind: 'bandwidth', bytesPerSecond }, `throttle to ${bytesPerSecond} B/s`);
  }
  /**
   * Client and dependent links: closes the established connections once (no lasting fault).
   * Peer links: a lasting one-way partition until heal() — established connections are dropped and
   * every new dial is accepted and reset at once (each recorded); the reverse link flows.
   */
  cut(): this {
    if (this.ref.peer) return this.fault({ kind: 'refuse' }, 'cut (one way)');
    this.rec.add({ kind: 'link.cut', link: this.ref, title: `cut the connections of ${linkLabel(this.ref)}`, location: callerLocation() });
    return this;
  }
  /** Ends the link's fault. */
  heal(): this {
    this.rec.add({ kind: 'link.heal', link: this.ref, title: `heal ${linkLabel(this.ref)}`, location: callerLocation() });
    return this;
  }

  private fault(fault: LinkFault, verb: string): this {
    this.rec.add({ kind: 'link.fault', link: this.ref, fault, title: `${verb} ${linkLabel(this.ref)}`, location: callerLocation() });
    return this;
  }
}

/** Every peer link of one node, or only its incoming or outgoing ones. */
export class PeerLinksHandle extends LinkHandle {
  /** The other members' dials to this node. */
  incoming(): PeerLinksHandle {
    return this.narrow('in');
  }
  /** This node's dials to the other members. */
  outgoing(): PeerLinksHandle {
    return this.narrow('out');
  }
  private narrow(group: 'in' | 'out'): PeerLinksHandle {
    return new PeerLinksHandle(this.recorder, { ...this.ref, peer: { ...this.ref.peer!, group } });
  }
}

/** "the link client → node-1", "the peer links into the leader" */
export function linkLabel(link: LinkRef): string {
  const group = link.peer?.group;
  if (group) return `the peer links ${group === 'in' ? 'into' : group === 'out' ? 'out of' : 'of'} ${targetLabel(link.to)}`;
  return `the ${link.peer ? 'peer ' : ''}link ${link.from} → ${targetLabel(link.to)}`;
}

/** A node's log; lines carry offsets on the run's clock. */
export class LogHandle {
  /** @internal */
  constructor(readonly target: NodeTarget) {}
}
