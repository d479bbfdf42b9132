// Records what a scenario body says into plan steps. Verbs return handles, never do I/O.
import { parseDuration, formatMs, type Duration } from './duration.ts';
import { ScenarioError } from './errors.ts';
import { callerLocation, type SpecLocation } from './location.ts';
import type { BlockBackend, ClientRef, LinkFault, LinkRef, NodeTarget, NodeVerb, OpRef, PlanStep, RetryPolicy, WatchClientKind, WatchSpec, WorkloadSpec } from './plan.ts';
import { resolvePolicy, SEED_POLICY, type PolicyOptions } from './policy.ts';
import { nodeVerbTitle, opTitle, targetLabel } from './titles.ts';

/** Shared state of one recording; handles append to it. */
export class Recorder {
  readonly steps: PlanStep[] = [];
  readonly problems: Error[] = [];
  private nextId = 1;
  /** The last operation issued through each client, for `expect(client)`. */
  readonly lastOp = new Map<number, OpRef>();

  id(): number {
    return this.nextId++;
  }

  add(step: PlanStep): void {
    this.steps.push(step);
  }

  /** Runs a recording action, keeping a ScenarioError as a plan problem instead of throwing. */
  guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      this.problems.push(e);
      return undefined;
    }
  }
}

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
   * The link from this dependent server to a cluster node (the server is pointed at a fault proxy per node).
   * @example expect(proxy.linkTo(leader)).toSeeRetries({ min: 2 }, { initial: '1s', multiplier: 1.6 })
   */
  linkTo(node: NodeHandle): LinkHandle {
    if (this.target.kind !== 'named') {
      this.rec.problems.push(new ScenarioError(`linkTo() starts at a dependent server, not at ${targetLabel(this.target)}.`, "write cluster.dependent('grpc-proxy').linkTo(cluster.node(1)), or node.link() for the clients' link to a node.", callerLocation()));
    }
    return new LinkHandle(this.rec, { id: this.rec.id(), from: this.target.kind === 'named' ? this.target.name : 'client', to: node.target });
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

  private net(verb: 'block' | 'unblock' | 'isolate', via: BlockBackend, title: string): this {
    this.rec.add({ kind: 'net', verb, target: this.target, via, title, location: callerLocation() });
    return this;
  }

  private verb(verb: NodeVerb): this {
    this.rec.add({ kind: 'node', verb, target: this.target, title: nodeVerbTitle(verb, targetLabel(this.target)), location: callerLocation() });
    return this;
  }
}

/** The cluster under test, as the plan sees it. */
export class ClusterHandle {
  /** @internal */
  constructor(private readonly rec: Recorder) {}

  /**
   * Starts the cluster and waits until every node is ready.
   * @example cluster.start({ nodes: 3 })
   */
  start(options: { nodes?: number; heartbeat?: Duration; election?: Duration } = {}): void {
    const location = callerLocation();
    this.rec.guard(() => {
      const nodes = options.nodes ?? 3;
      if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) {
        throw new ScenarioError(`cluster.start() takes 1 to 9 nodes, got ${nodes}.`, 'write e.g. cluster.start({ nodes: 3 }).', location);
      }
      const heartbeatMs = options.heartbeat === undefined ? undefined : parseDuration(options.heartbeat, 'heartbeat', location);
      const electionMs = options.election === undefined ? undefined : parseDuration(options.election, 'election', location);
      this.rec.add({ kind: 'cluster.start', nodes, heartbeatMs, electionMs, title: `start a cluster of ${nodes} nodes`, location });
    });
  }

  /** The n-th node (1-based), e.g. `cluster.node(2)` is "node-2". */
  node(n: number): NodeHandle {
    const location = callerLocation();
    if (!Number.isInteger(n) || n < 1) {
      this.rec.problems.push(
        new ScenarioError(`cluster.node() takes a 1-based whole number, got ${String(n)}.`, 'write cluster.node(1) for the first node.', location),
      );
    }
    return new NodeHandle(this.rec, { kind: 'index', index: n, ref: this.rec.id() });
  }

  /**
   * Starts a server that depends on the cluster (e.g. etcd's "grpc-proxy"), as the service defines
   * it, and returns it as a node: clients can talk to it, faults can hit it, its log can be expected.
   * @example const proxy = cluster.dependent('grpc-proxy'); const c = client.to(proxy)
   */
  dependent(kind: string): NodeHandle {
    const location = callerLocation();
    const name = kind;
    this.rec.add({ kind: 'dependent.start', dependent: kind, name, title: `start ${kind} in front of the cluster`, location });
    return new NodeHandle(this.rec, { kind: 'named', name, ref: this.rec.id() });
  }

  /** The node that is leader when this selector is first used; it stays bound to that node. */
  leader(): NodeHandle {
    return new NodeHandle(this.rec, { kind: 'leader', ref: this.rec.id() });
  }

  /** A running node that is not the leader when first used; it stays bound to that node. */
  follower(): NodeHandle {
    return new NodeHandle(this.rec, { kind: 'follower', ref: this.rec.id() });
  }

  /**
   * Starts concurrent clients in the background: reads and writes of unique values over a few keys,
   * every operation recorded in the history (for expect(cluster).toBeConsistent()).
   * @example const w = cluster.workload({ clients: 3, rate: 30, keys: 4, for: '6s' })
   */
  workload(options: WorkloadOptions = {}): WorkloadHandle {
    const location = callerLocation();
    const spec: WorkloadSpec = { id: this.rec.id(), clients: 3, rate: 20, keys: 4, mix: { put: 0.5, get: 0.5, delete: 0 }, client: defaultClient(this.rec).ref };
    this.rec.guard(() => {
      const { clients = 3, rate = 20, keys = 4 } = options;
      for (const [name, v, max] of [['clients', clients, 64], ['rate', rate, 2000], ['keys', keys, 1000]] as const) {
        if (!(typeof v === 'number' && v > 0 && v <= max && (name === 'rate' || Number.isInteger(v)))) {
          throw new ScenarioError(`workload({ ${name} }) must be a ${name === 'rate' ? 'number' : 'whole number'} from 1 to ${max}, got ${JSON.stringify(v)}.`, `write e.g. cluster.workload({ clients: 3, rate: 20, keys: 4, for: '5s' }).`, location);
        }
      }
      const mix = { put: options.mix?.put ?? 0.5, get: options.mix?.get ?? 0.5, delete: options.mix?.delete ?? 0 };
      const total = mix.put + mix.get + mix.delete;
      if (!(total > 0) || Object.values(mix).some((x) => !(x >= 0))) {
        throw new ScenarioError(`workload({ mix }) needs non-negative weights with a positive sum, got ${JSON.stringify(options.mix)}.`, "write e.g. mix: { put: 0.5, get: 0.4, delete: 0.1 }.", location);
      }
      Object.assign(spec, { clients, rate, keys, mix: { put: mix.put / total, get: mix.get / total, delete: mix.delete / total } });
      if (options.for !== undefined) spec.forMs = parseDuration(options.for, 'workload({ for })', location);
      if (options.via) spec.client = { ...spec.client, endpoints: options.via.map((n) => n.target), name: `workload(${options.via.map((n) => targetLabel(n.target)).join(', ')})` };
      const lasting = spec.forMs === undefined ? 'until stopped' : `for ${formatMs(spec.forMs)}`;
      this.rec.add({ kind: 'workload.start', workload: spec, title: `start a workload: ${spec.clients} clients, ${spec.rate} ops/s over ${spec.keys} keys ${lasting} (in the background)`, location });
    });
    return new WorkloadHandle(this.rec, spec);
  }

  /**
   * Splits the nodes into groups that cannot reach each other, in both directions.
   * @example cluster.partition([1], [2, 3])
   */
  partition(...groups: number[][]): void {
    const shown = groups.map((g) => (Array.isArray(g) ? g.map((n) => `node-${n}`).join(', ') : String(g))).join(' | ');
    this.rec.add({ kind: 'partition', groups, title: `partition ${shown} (both directions)`, location: callerLocation() });
  }

  /** Removes every partition and isolation. */
  heal(): void {
    this.rec.add({ kind: 'heal', title: 'heal the network (remove partitions)', location: callerLocation() });
  }

  /** Waits until the cluster reports a leader. @example cluster.waitForLeader({ within: '5s' }) */
  waitForLeader(options: { within: Duration }): void {
    const location = callerLocation();
    this.rec.guard(() => {
      const withinMs = parseDuration(options?.within, 'waitForLeader({ within })', location);
      this.rec.add({ kind: 'cluster.waitForLeader', withinMs, title: `wait for a leader within ${formatMs(withinMs)}`, location });
    });
  }
}

/** Options of cluster.workload(). */
export interface WorkloadOptions {
  clients?: number;
  /** Operations per second, all clients together. */
  rate?: number;
  keys?: number;
  mix?: { put?: number; get?: number; delete?: number };
  for?: Duration;
  /** Nodes the workload's clients talk to (default: all, failing over on retry). */
  via?: NodeHandle[];
}

/** A running workload; stop() ends it (it also ends by itself after `for`, or at the test's end). */
export class WorkloadHandle {
  /** @internal */
  constructor(
    private readonly rec: Recorder,
    readonly spec: WorkloadSpec,
  ) {}

  /** Stops the workload's clients after their current operation. */
  stop(): void {
    this.rec.add({ kind: 'workload.stop', workload: this.spec, title: 'stop the workload', location: callerLocation() });
  }
}

/** A directed link through a fault proxy; each verb is one fault, heal() ends it. */
export class LinkHandle {
  /** @internal */
  constructor(
    private readonly rec: Recorder,
    readonly ref: LinkRef,
  ) {}

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
  /** Closes the established connections once (no lasting fault). */
  cut(): this {
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

/** "the link client → node-1" */
export function linkLabel(link: LinkRef): string {
  return `the link ${link.from} → ${targetLabel(link.to)}`;
}

/** A node's log; lines carry offsets on the run's clock. */
export class LogHandle {
  /** @internal */
  constructor(readonly target: NodeTarget) {}
}

/** A watch opened by the plan: expect(w).toReceiveAll() / toEnd(). */
export class WatchHandle {
  /** @internal */
  constructor(readonly spec: WatchSpec) {}
}

/** A recorded operation; `.background()` lets faults happen while it retries. */
export class OpHandle {
  /** @internal */
  constructor(
    private readonly step: Extract<PlanStep, { kind: 'op' }>,
  ) {}

  /** The operation's plan data. */
  get ref(): OpRef {
    return this.step.op;
  }

  /** Runs the operation in the background; later steps go on while it retries. */
  background(): this {
    this.step.background = true;
    this.step.title += ' (in the background)';
    return this;
  }
}

/** A key-value client with a retry policy; every attempt it makes is recorded. */
export class ClientHandle {
  /** @internal */
  constructor(
    private readonly rec: Recorder,
    readonly ref: ClientRef,
  ) {}

  /** Writes `value` at `key`. @example client.put('k', 'v1') */
  put(key: string, value: string): OpHandle {
    return this.op('put', key, value);
  }
  /** Reads `key`. */
  get(key: string): OpHandle {
    return this.op('get', key);
  }
  /** Deletes `key`. */
  delete(key: string): OpHandle {
    return this.op('delete', key);
  }

  /**
   * Opens a watch on a key prefix in the background, with one of three clients: Faultline's own
   * gRPC watch (no reconnect — the seed's gap), `etcdctl watch`, or the `etcd3` library's watcher.
   * @example const w = client.to(cluster.node(1)).watch('s5/', { using: 'etcd3' })
   */
  watch(prefix: string, options: { using?: WatchClientKind } = {}): WatchHandle {
    const location = callerLocation();
    const using = options.using ?? 'faultline';
    if (!['faultline', 'etcdctl', 'etcd3'].includes(using)) {
      this.rec.problems.push(new ScenarioError(`watch({ using }) is 'faultline', 'etcdctl' or 'etcd3', got ${JSON.stringify(using)}.`, "write e.g. client.watch('s5/', { using: 'etcd3' }).", location));
    }
    const spec: WatchSpec = { id: this.rec.id(), prefix, using, client: this.ref };
    const via = this.ref.name === 'client' ? '' : ` via ${this.ref.name}`;
    this.rec.add({ kind: 'watch.start', watch: spec, title: `watch ${JSON.stringify(prefix)} with ${using === 'faultline' ? "Faultline's watch client" : using}${via} (in the background)`, location });
    return new WatchHandle(spec);
  }

  /**
   * A client that talks only to the given nodes (in order, failing over on retry).
   * @example const c = client.to(cluster.node(1))
   */
  to(...nodes: NodeHandle[]): ClientHandle {
    const name = `client(${nodes.map((n) => targetLabel(n.target)).join(', ')})`;
    return new ClientHandle(this.rec, { ...this.ref, id: this.rec.id(), name, endpoints: nodes.map((n) => n.target) });
  }

  /**
   * The same endpoints, driven by a real client under test that retries by itself (its own policy):
   * `'etcdctl'` (a process per operation, retries read from its log) or `'etcd3'` (the npm library).
   * @example const ctl = client.to(cluster.node(1)).using('etcdctl'); ctl.put('k', 'v')
   */
  using(clientUnderTest: string): ClientHandle {
    if (typeof clientUnderTest !== 'string' || !clientUnderTest) {
      this.rec.problems.push(new ScenarioError(`using() takes the name of a client under test, got ${JSON.stringify(clientUnderTest)}.`, "write e.g. client.using('etcdctl').", callerLocation()));
    }
    const where = this.ref.endpoints === 'all' ? '' : `(${this.ref.endpoints.map(targetLabel).join(', ')})`;
    return new ClientHandle(this.rec, { ...this.ref, id: this.rec.id(), under: clientUnderTest, name: `${clientUnderTest}${where}` });
  }

  /**
   * The same client with another retry policy.
   * @example client.withPolicy({ retries: 5, initial: '100ms', attemptTimeout: '1s' })
   */
  withPolicy(options: PolicyOptions): ClientHandle {
    const location = callerLocation();
    const policy: RetryPolicy = this.rec.guard(() => resolvePolicy(this.ref.policy, options, location)) ?? this.ref.policy;
    return new ClientHandle(this.rec, { ...this.ref, id: this.rec.id(), policy });
  }

  private op(op: OpRef['op'], key: string, value?: string): OpHandle {
    const location = callerLocation();
    if (typeof key !== 'string' || key === '' || (op === 'put' && typeof value !== 'string')) {
      this.rec.problems.push(
        new ScenarioError(`client.${op}() needs a non-empty string key${op === 'put' ? ' and a string value' : ''}.`, `write e.g. client.${op}('k'${op === 'put' ? ", 'v1'" : ''}).`, location),
      );
    }
    const ref: OpRef = { id: this.rec.id(), client: this.ref, op, key, value };
    const step: Extract<PlanStep, { kind: 'op' }> = { kind: 'op', op: ref, background: false, checked: false, title: opTitle(ref), location };
    this.rec.add(step);
    this.rec.lastOp.set(this.ref.id, ref);
    return new OpHandle(step);
  }
}

/** The default client: all of the cluster's endpoints, the seed's policy. */
export function defaultClient(rec: Recorder): ClientHandle {
  return new ClientHandle(rec, { id: rec.id(), name: 'client', endpoints: 'all', policy: SEED_POLICY });
}

/** Records `wait(d)`: a plain pause, e.g. to let a fault last. */
export function recordWait(rec: Recorder, d: Duration): void {
  const location = callerLocation();
  rec.guard(() => {
    const ms = parseDuration(d, 'wait()', location);
    rec.add({ kind: 'wait', ms, title: `wait ${formatMs(ms)}`, location });
  });
}

/** Helper for locations in messages. */
export type { SpecLocation };
