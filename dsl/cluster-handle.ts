// The cluster as a scenario body sees it: start, selectors, partitions, dependents, workloads.
import { formatMs, parseDuration, type Duration } from './duration.ts';
import { ScenarioError } from './errors.ts';
import { callerLocation } from './location.ts';
import type { WorkloadSpec } from './plan.ts';
import type { Recorder } from './recorder.ts';
import { defaultClient } from './client-handle.ts';
import { NodeHandle } from './node-handle.ts';
import { targetLabel } from './titles.ts';

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
