// The cluster as a scenario body sees it: start, selectors, partitions, dependents, workloads.
import { formatMs, parseDuration, type Duration } from './duration.ts';
import { ScenarioError } from './errors.ts';
import { callerLocation } from './location.ts';
import type { ServiceName } from './services.ts';
import type { WorkloadSpec } from './plan.ts';
import type { Recorder } from './recorder.ts';
import { clientOf, defaultClient, type ClientHandle } from './client-handle.ts';
import { NodeHandle } from './node-handle.ts';
import { targetLabel } from './titles.ts';

/** Options of cluster.start(). */
export interface StartOptions {
  nodes?: number;
  heartbeat?: Duration;
  election?: Duration;
  /** The cluster this one uses as PD (placement driver): its client endpoints fill the launch template's {pd}. */
  pd?: ClusterHandle;
}

/** A cluster, as the plan sees it: the column's own (`cluster`), or one declared with `cluster(service)`. */
export class ClusterHandle {
  /** @internal */
  constructor(
    private readonly rec: Recorder,
    /** The cluster's key; undefined: the column's own cluster. */
    readonly key?: string,
    /** The service of a declared cluster. */
    readonly service?: ServiceName,
    /** The PD given at declaration, `cluster('flaredb', { pd })`. */
    private readonly pd?: ClusterHandle,
  ) {}

  /**
   * Starts the cluster and waits until every node is ready. A cluster with a PD starts after it
   * (the plan is checked for that) and is torn down before it.
   * @example cluster.start({ nodes: 3 })
   */
  start(options: StartOptions = {}): void {
    const location = callerLocation();
    this.rec.guard(() => {
      const nodes = options.nodes ?? 3;
      if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) {
        throw new ScenarioError(`cluster.start() takes 1 to 9 nodes, got ${nodes}.`, 'write e.g. cluster.start({ nodes: 3 }).', location);
      }
      const pd = options.pd ?? this.pd;
      if (pd !== undefined && !(pd instanceof ClusterHandle)) {
        throw new ScenarioError(`start({ pd }) takes a cluster of this scenario, got ${typeof pd === 'object' ? 'an object' : JSON.stringify(pd)}.`, "write const pd = cluster('chainfire'); pd.start(); cluster.start({ pd }).", location);
      }
      const heartbeatMs = options.heartbeat === undefined ? undefined : parseDuration(options.heartbeat, 'heartbeat', location);
      const electionMs = options.election === undefined ? undefined : parseDuration(options.election, 'election', location);
      const pdText = pd ? ` with ${clusterLabel(pd.key)} as PD` : '';
      this.rec.add({
        kind: 'cluster.start',
        ...this.scope(),
        ...(this.service ? { service: this.service } : {}),
        nodes,
        heartbeatMs,
        electionMs,
        ...(pd ? { pd: pd.scope() } : {}),
        title: `start ${this.key === undefined ? 'a cluster' : `the ${this.key} cluster`} of ${nodes} nodes${pdText}`,
        location,
      });
    });
  }

  /** The n-th node (1-based), e.g. `cluster.node(2)` is "node-2" (of a declared cluster: "pd-node-2"). */
  node(n: number): NodeHandle {
    const location = callerLocation();
    if (!Number.isInteger(n) || n < 1) {
      this.rec.problems.push(
        new ScenarioError(`cluster.node() takes a 1-based whole number, got ${String(n)}.`, 'write cluster.node(1) for the first node.', location),
      );
    }
    return new NodeHandle(this.rec, { kind: 'index', index: n, ref: this.rec.id(), ...this.scope() });
  }

  /**
   * A client of this cluster: all of its nodes, the seed's policy (the body's `client` is the
   * column's cluster's).
   * @example const pdClient = pd.client(); pdClient.put('k', 'v')
   */
  client(): ClientHandle {
    const base = defaultClient(this.rec);
    return this.key === undefined ? base : clientOf(this.rec, { ...base.ref, cluster: this.key, name: `client(${this.key})` });
  }

  /** @internal `{ cluster }` for steps and targets of this cluster (nothing for the column's own). */
  scope(): { cluster?: string } {
    return this.key === undefined ? {} : { cluster: this.key };
  }

  /**
   * Starts a server that depends on the cluster (e.g. etcd's "grpc-proxy"), as the service defines
   * it, and returns it as a node: clients can talk to it, faults can hit it, its log can be expected.
   * @example const proxy = cluster.dependent('grpc-proxy'); const c = client.to(proxy)
   */
  dependent(kind: string): NodeHandle {
    const location = callerLocation();
    const name = this.key === undefined ? kind : `${this.key}-${kind}`;
    this.rec.add({ kind: 'dependent.start', ...this.scope(), dependent: kind, name, title: `start ${kind} in front of ${clusterLabel(this.key)}`, location });
    return new NodeHandle(this.rec, { kind: 'named', name, ref: this.rec.id(), ...this.scope() });
  }

  /** The node that is leader when this selector is first used; it stays bound to that node. */
  leader(): NodeHandle {
    return new NodeHandle(this.rec, { kind: 'leader', ref: this.rec.id(), ...this.scope() });
  }

  /** A running node that is not the leader when first used; it stays bound to that node. */
  follower(): NodeHandle {
    return new NodeHandle(this.rec, { kind: 'follower', ref: this.rec.id(), ...this.scope() });
  }

  /**
   * Starts concurrent clients in the background: reads and writes of unique values over a few keys,
   * every operation recorded in the history (for expect(cluster).toBeConsistent()).
   * @example const w = cluster.workload({ clients: 3, rate: 30, keys: 4, for: '6s' })
   */
  workload(options: WorkloadOptions = {}): WorkloadHandle {
    const location = callerLocation();
    const spec: WorkloadSpec = { id: this.rec.id(), clients: 3, rate: 20, keys: 4, mix: { put: 0.5, get: 0.5, delete: 0 }, client: this.client().ref };
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
      this.rec.add({ kind: 'workload.start', workload: spec, title: `start a workload${this.key === undefined ? '' : ` on ${clusterLabel(this.key)}`}: ${spec.clients} clients, ${spec.rate} ops/s over ${spec.keys} keys ${lasting} (in the background)`, location });
    });
    return new WorkloadHandle(this.rec, spec);
  }

  /**
   * Splits the nodes into groups that cannot reach each other, in both directions.
   * @example cluster.partition([1], [2, 3])
   */
  partition(...groups: number[][]): void {
    const prefix = this.key === undefined ? '' : `${this.key}-`;
    const shown = groups.map((g) => (Array.isArray(g) ? g.map((n) => `${prefix}node-${n}`).join(', ') : String(g))).join(' | ');
    this.rec.add({ kind: 'partition', ...this.scope(), groups, title: `partition ${shown} (both directions)`, location: callerLocation() });
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
      this.rec.add({ kind: 'cluster.waitForLeader', ...this.scope(), withinMs, title: `wait for a leader${this.key === undefined ? '' : ` of ${clusterLabel(this.key)}`} within ${formatMs(withinMs)}`, location });
    });
  }
}

/** "the cluster" for the column's own, "the pd cluster" for a declared one. */
export function clusterLabel(key: string | undefined): string {
  return key === undefined ? 'the cluster' : `the ${key} cluster`;
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
