// One test's run: its clock, events, history, cluster and clients; `close()` leaves nothing behind.
import path from 'node:path';
import type { ClientRef, NodeTarget, OpRef, WatchSpec, WorkloadSpec } from '../dsl/plan.ts';
import type { WatchClientHandle } from './watch/watch-record.ts';
import { RunningWorkload } from './workload.ts';
import { RunNetwork } from './network.ts';
import { startClock, type Clock } from './clock.ts';
import { StartedCluster, type StartOptions } from './cluster.ts';
import { NodeProcessError } from './errors.ts';
import { EventLog } from './events.ts';
import type { OpRecord } from './history.ts';
import type { CheckResult } from './checker/index.ts';
import { runOperation } from './operation.ts';
import type { PortAllocator } from './ports.ts';
import type { ProcessGuard } from './node-process.ts';
import type { Endpoint, KvOperation, SelfRetryingClient, ServiceClient, ServiceDefinition } from './service.ts';

/** How long a role selector waits for a leader to exist before it fails. */
const RESOLVE_LEADER_MS = 10_000;

/** The runtime context a plan executes in; also what `step(title, rt => ...)` receives. */
export class Run {
  readonly clock: Clock = startClock();
  readonly events = new EventLog(this.clock);
  readonly history: OpRecord[] = [];
  private cluster_?: StartedCluster;
  private readonly bindings = new Map<number, string>();
  private readonly pending = new Map<number, Promise<OpRecord>>();
  private readonly clients = new Map<number, ServiceClient>();
  private nextOpId = 1;
  /** The last consistency verdict over the whole history, for the evidence. */
  lastCheck?: CheckResult;
  private readonly workloads = new Map<number, RunningWorkload>();

  constructor(
    readonly service: ServiceDefinition,
    readonly dir: string,
    private readonly ports: PortAllocator,
    /** The worker's watchdog: kills this run's process groups if the worker dies first. */
    readonly guard?: ProcessGuard,
  ) {
    this.network = new RunNetwork(this.events, this.clock, guard);
  }

  /** Directories outside the output dir that hold this run's data (removed when the test passed). */
  get tempDirs(): string[] {
    return this.cluster_?.tempDirs ?? [];
  }

  /** Network faults of this run (firewall chains, client-link proxies). */
  readonly network: RunNetwork;

  /** The started cluster; a step before cluster.start() is a plan error caught by validation. */
  get cluster(): StartedCluster {
    if (!this.cluster_) throw new Error('The cluster is not started: call cluster.start() first.');
    return this.cluster_;
  }


  async startCluster(options: StartOptions & { proxyClientLinks?: boolean }): Promise<StartedCluster> {
    this.cluster_ = await StartedCluster.start(this.service, options, { dir: this.dir, ports: this.ports, events: this.events, guard: this.guard });
    if (options.proxyClientLinks) await this.network.proxyLinks(this.cluster_, 'client');
    return this.cluster_;
  }

  /** Starts a dependent server of the cluster (e.g. etcd's grpc-proxy). */
  async startDependent(kind: string, name: string, linked = false): Promise<void> {
    const members = linked ? await this.network.proxyLinks(this.cluster, name) : undefined;
    await this.cluster.startDependent(kind, name, { dir: this.dir, ports: this.ports, members });
  }

  /** The node a target means; role selectors bind on first use and stay bound. */
  async resolve(target: NodeTarget): Promise<string> {
    if (target.kind === 'index') return `node-${target.index}`;
    if (target.kind === 'named') return target.name;
    const bound = this.bindings.get(target.ref);
    if (bound) return bound;
    const leader = await this.cluster.leader(RESOLVE_LEADER_MS);
    if (!leader) {
      const states = this.cluster.names.map((n) => `${n} ${this.cluster.state(n)}`).join(', ');
      throw new NodeProcessError(`No leader among the running nodes within ${RESOLVE_LEADER_MS / 1000}s, so "${target.kind}" cannot be chosen (nodes: ${states}).`, target.kind, undefined, undefined, undefined, []);
    }
    const node = target.kind === 'leader' ? leader : this.cluster.liveSpecs().find((n) => n.name !== leader)?.name;
    if (!node) throw new NodeProcessError(`No running follower: ${leader} is the only running node.`, 'follower', undefined, undefined, undefined, []);
    this.bindings.set(target.ref, node);
    this.events.record('bind', { node, detail: target.kind });
    return node;
  }

  /** The endpoints a client talks to, in failover order. */
  async endpoints(client: ClientRef): Promise<Endpoint[]> {
    const names = client.endpoints === 'all' ? this.cluster.names : await Promise.all(client.endpoints.map((t) => this.resolve(t)));
    return names.map((n) => {
      const e = this.cluster.endpoint(n);
      return { ...e, address: this.network.clientAddress(n, e.address) };
    });
  }

  /** Starts an operation; `done` settles with its record (a bare promise would be awaited away). */
  async issue(op: OpRef): Promise<{ done: Promise<OpRecord> }> {
    const endpoints = await this.endpoints(op.client);
    const kv = { op: op.op, key: op.key, value: op.value };
    if (op.client.under) return { done: this.executeUnderTest(kv, op.client.name, endpoints, op.client.under, op.id) };
    return { done: this.execute(kv, op.client.name, endpoints, op.client.policy, this.wire(op.client.id), op.id) };
  }

  /** Runs an operation outside the plan (final reads, custom steps), recorded like any other. */
  execute(op: KvOperation, process: string, endpoints: Endpoint[], policy: ClientRef['policy'], client = this.wire(0), planId?: number): Promise<OpRecord> {
    const id = this.nextOpId++;
    const done = runOperation(op, { id, process, clock: this.clock, client, endpoints, policy }).then((r) => {
      this.history.push(r);
      return r;
    });
    if (planId !== undefined) this.pending.set(planId, done);
    return done;
  }

  /** Runs an operation through a real client under test, which retries by itself; recorded like ours. */
  executeUnderTest(op: KvOperation, process: string, endpoints: Endpoint[], under: string, planId?: number): Promise<OpRecord> {
    const id = this.nextOpId++;
    const make = this.service.clientsUnderTest?.[under];
    if (!make) {
      const known = Object.keys(this.service.clientsUnderTest ?? {});
      throw new Error(`The "${this.service.name}" service has no client under test "${under}"${known.length ? `; it has ${known.map((k) => `"${k}"`).join(', ')}` : ''}.`);
    }
    let client = this.underTest.get(under);
    if (!client) this.underTest.set(under, (client = make()));
    const invoke = this.clock.now();
    const done = client.run(op, endpoints, this.clock).then((r) => {
      const record: OpRecord = { id, process, op: op.op, key: op.key, ...(op.op === 'put' ? { value: op.value } : {}), ...(op.op === 'get' && r.outcome === 'ok' ? { result: r.value ?? null } : {}), invoke, complete: this.clock.now(), outcome: r.outcome, attempts: r.attempts, ...(r.error ? { error: `${op.op} ${JSON.stringify(op.key)} through ${under} failed after ${r.attempts.length} attempt(s) against ${endpoints.map((e) => `${e.node}@${e.address}`).join(', ')}: ${r.error}` } : {}) };
      this.history.push(record);
      return record;
    });
    if (planId !== undefined) this.pending.set(planId, done);
    return done;
  }

  private readonly underTest = new Map<string, SelfRetryingClient>();

  /** The record of a plan operation, waiting for it when it runs in the background. */
  async result(planOpId: number): Promise<OpRecord> {
    const p = this.pending.get(planOpId);
    if (!p) throw new Error(`Operation ${planOpId} has not been issued yet.`);
    return p;
  }

  /** Watches opened by the plan, by plan id, with what they are. */
  readonly watches = new Map<number, { spec: WatchSpec; handle: WatchClientHandle }>();

  /** Opens a watch client under test. */
  async startWatch(spec: WatchSpec): Promise<WatchClientHandle> {
    if (!this.service.watch) throw new Error(`The "${this.service.name}" service has no watch clients: leave watch() out of its scenarios or mark them n/a.`);
    const endpoints = await this.endpoints(spec.client);
    const handle = await this.service.watch(spec.using, endpoints, { clock: this.clock, prefix: spec.prefix, logFile: path.join(this.dir, `watch-${spec.id}-${spec.using}.log`) });
    this.watches.set(spec.id, { spec, handle });
    this.events.record('watch.start', { detail: `${handle.name} on ${JSON.stringify(spec.prefix)} via ${endpoints.map((e) => e.node).join(', ')}` });
    return handle;
  }

  /** Starts a background workload. */
  startWorkload(spec: WorkloadSpec): RunningWorkload {
    const w = new RunningWorkload(spec, this);
    this.workloads.set(spec.id, w);
    return w;
  }

  /** Stops one workload, or all of them (before a verdict over the whole history). */
  async stopWorkloads(id?: number): Promise<void> {
    await Promise.all([...this.workloads.entries()].filter(([k]) => id === undefined || k === id).map(([, w]) => w.stop()));
  }

  /** Lets workloads with a duration finish and stops the others: a verdict needs the whole history. */
  async finishWorkloads(): Promise<void> {
    await Promise.all([...this.workloads.values()].map((w) => w.finish()));
  }

  /** Waits for every operation still retrying, then kills every process of the run. */
  async close(): Promise<void> {
    // Every stage runs even when an earlier one fails: a firewall error must not leave processes.
    const stages: (() => Promise<unknown>)[] = [
      () => this.stopWorkloads(),
      () => Promise.allSettled(this.pending.values()),
      () => Promise.allSettled([...this.watches.values()].map((w) => w.handle.stop())),
      async () => this.clients.forEach((c) => c.close()),
      () => Promise.allSettled([...this.underTest.values()].map((c) => c.close())),
      () => this.network.close(),
      async () => this.cluster_?.destroy(),
    ];
    const errors: unknown[] = [];
    for (const stage of stages) await stage().catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  }

  private wire(clientId: number): ServiceClient {
    let c = this.clients.get(clientId);
    if (!c) this.clients.set(clientId, (c = this.service.createClient()));
    return c;
  }
}
