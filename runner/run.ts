// One test's run: its clock, events, history, cluster and clients; `close()` leaves nothing behind.
import path from 'node:path';
import type { ClientRef, LinkRef, NodeTarget, OpRef, WatchSpec, WorkloadSpec } from '../dsl/plan.ts';
import type { WatchClientHandle } from './watch/watch-record.ts';
import { RunningWorkload } from './workload.ts';
import { RunNetwork } from './network.ts';
import { FaultLedger } from './faults/index.ts';
import { faultHost } from './fault-host.ts';
import { startClock, type Clock } from './time/clock.ts';
import { StartedCluster, type StartOptions } from './cluster.ts';
import { EnvironmentError, NodeProcessError } from './process/process-errors.ts';
import { RunLookupError } from './errors.ts';
import { EventLog } from './records/events.ts';
import type { OpRecord } from './records/history.ts';
import { opRecord, runOperation } from './operation.ts';
import type { PortAllocator } from './ports.ts';
import type { ProcessGuard } from './process/node-process.ts';
import type { NodeDataDir } from './node-data-dir.ts';
import type { ClusterSpec, Endpoint, KvOperation, ServiceClient, ServiceDefinition } from './contract/service.ts';
import { openClientUnderTest, type ClientUnderTest, type ClientUnderTestConfig } from './subjects/index.ts';
import { chooseClient } from './subjects/choose-client.ts';
import type { HostSet } from './hosts/host-set.ts';
import { settleRemoteDataDir } from './hosts/remote-data-dir.ts';

/** How long a role selector waits for a leader to exist before it fails. */
const RESOLVE_LEADER_MS = 10_000;

/** The runtime context a plan executes in; also what `step(title, rt => ...)` receives. */
export class Run {
  readonly clock: Clock = startClock();
  readonly events = new EventLog(this.clock);
  readonly history: OpRecord[] = [];
  /** Started clusters by key ('' = the column's own), in start order. */
  private readonly clusters = new Map<string, StartedCluster>();
  private readonly bindings = new Map<number, string>();
  private readonly pending = new Map<number, Promise<OpRecord>>();
  private readonly clients = new Map<string, ServiceClient>();
  private nextOpId = 1;
  private readonly workloads = new Map<number, RunningWorkload>();

  constructor(
    readonly service: ServiceDefinition,
    readonly dir: string,
    private readonly ports: PortAllocator,
    /** The worker's watchdog: kills this run's process groups if the worker dies first. */
    readonly guard?: ProcessGuard,
    /** Every service by name, for the other clusters a plan starts (e.g. ChainFire as FlareDB's PD). */
    private readonly services: Record<string, ServiceDefinition> = {},
    /** The worker's SSH hosts (a hosts project): every node runs on one of them instead of this machine. */
    readonly hosts?: HostSet,
  ) {
    this.network = new RunNetwork(this.events, this.clock, guard);
    this.faults = new FaultLedger(faultHost(this), { emit: (r) => this.events.record(r.kind, r) });
  }

  /** Faults in force and their typed records (runner/faults/). */
  readonly faults: FaultLedger;

  /** Directories outside the output dir that hold this run's data (removed when the test passed). */
  get tempDirs(): NodeDataDir[] {
    return [...this.clusters.values()].flatMap((c) => c.tempDirs);
  }

  /** Data dirs of nodes on SSH hosts: copied into the output dir when the test failed, removed from their hosts either way. */
  async settleHostDataDirs(keep: boolean): Promise<void> {
    for (const c of this.clusters.values()) {
      for (const spec of c.spec.nodes) {
        const host = c.hostOfNode(spec.name);
        if (host) await settleRemoteDataDir(host, spec.dataDir, path.join(this.dir, `${spec.name}.data`), keep);
      }
    }
  }

  /** Network faults of this run (firewall chains, client-link proxies). */
  readonly network: RunNetwork;

  /** The column's own cluster; a step before cluster.start() is a plan error caught by validation. */
  get cluster(): StartedCluster {
    return this.clusterOf(undefined);
  }

  /** The cluster a plan key names (undefined, or the column's service: the column's own). */
  clusterOf(key: string | undefined): StartedCluster {
    const k = this.keyOf(key);
    const c = this.clusters.get(k);
    if (!c) throw new RunLookupError(k === '' ? 'The cluster is not started: call cluster.start() first.' : `The ${k} cluster is not started: call start() on it first.`);
    return c;
  }

  /** The cluster that owns a node (or dependent server) name. */
  clusterOfNode(name: string): StartedCluster {
    for (const c of this.clusters.values()) if (c.has(name)) return c;
    throw new RunLookupError(`No started cluster has a node "${name}".`);
  }

  /** Every started cluster by key ('' = the column's own), in start order. */
  get startedClusters(): ReadonlyMap<string, StartedCluster> {
    return this.clusters;
  }

  /** '' for the column's own cluster, else the declared key. */
  keyOf(key: string | undefined): string {
    return key === undefined || key === this.service.name ? '' : key;
  }

  /** The definition a cluster.start step runs: the column's, or the declared cluster's service. */
  definitionFor(key: string | undefined, service: string | undefined): ServiceDefinition {
    if (this.keyOf(key) === '') return this.service;
    const def = service ? this.services[service] : undefined;
    if (!def) throw new RunLookupError(`No definition for the ${service} service of the "${key}" cluster (known: ${Object.keys(this.services).join(', ') || 'none'}).`);
    return def;
  }

  /**
   * Starts a cluster: the column's own, or a declared one (its nodes named "<key>-node-<i>").
   * With `pd`, the PD cluster's client endpoints fill the launch template's {pd}.
   */
  async startCluster(options: Omit<StartOptions, 'pd' | 'namePrefix' | 'pdPerNode' | 'peerGates'> & { proxyClientLinks?: boolean; cluster?: string; service?: string; pd?: { cluster?: string }; pdLinks?: boolean; peerLinks?: boolean }): Promise<StartedCluster> {
    const key = this.keyOf(options.cluster);
    const definition = this.definitionFor(options.cluster, options.service);
    if (!options.pd && definition.pdService) options = { ...options, pd: await this.startConfiguredPd(options, definition) };
    // Names follow the declaration: cluster('flaredb') → flaredb-node-1 (as the plan's titles say),
    // even in the flaredb column where it is the column's own cluster; the body's `cluster` → node-1.
    const namePrefix = options.cluster === undefined ? '' : `${options.cluster}-`;
    const userOffset = [...this.clusters.values()].reduce((n, c) => n + c.spec.nodes.length, 0);
    const pd = options.pd ? this.pdEndpoints(options.pd.cluster) : undefined;
    // Named PD links: each node gets its own fault proxy per PD member, "node-1 → chainfire-node-2".
    let pdPerNode: Map<string, string[]> | undefined;
    if (options.pd && options.pdLinks) {
      const pdCluster = this.clusterOf(options.pd.cluster);
      pdPerNode = new Map();
      for (let i = 1; i <= options.nodes; i++) {
        const name = `${namePrefix}node-${i}`;
        const proxies = await this.network.proxyLinks(pdCluster, name);
        pdPerNode.set(name, pdCluster.names.map((n) => proxies.get(n)!));
      }
    }
    if (this.clusters.has(key)) throw new RunLookupError(`A cluster "${key || definition.name}" is already started in this run; a second one would share its node names and data dirs.`);
    // Peer links: a gate at every member's advertised peer port, started before any member dials.
    const port = options.peerLinks ? definition.peers?.port : undefined;
    const peerGates = port ? { port, start: (spec: ClusterSpec) => this.network.peerGates(spec, port) } : undefined;
    const started = await StartedCluster.start(definition, { ...options, namePrefix, pd, pdPerNode, userOffset, peerGates, perNodeUsers: options.perNodeUsers || !!peerGates }, { dir: this.dir, ports: this.ports, events: this.events, guard: this.guard, ...(this.hosts ? { placement: this.hosts.placement } : {}) });
    this.clusters.set(key, started);
    if (options.proxyClientLinks) await this.network.proxyLinks(started, 'client');
    return started;
  }

  /**
   * The PD a service's configuration names (e.g. FlareDB → ChainFire), started before the cluster
   * that needs it as "<cluster>-pd", so it is torn down after it.
   */
  private async startConfiguredPd(options: { cluster?: string; nodes: number; perNodeUsers?: boolean }, definition: ServiceDefinition): Promise<{ cluster: string }> {
    const { service, nodes } = definition.pdService!;
    const key = `${options.cluster ?? definition.name}-pd`;
    if (!this.services[service]) throw new RunLookupError(`The ${definition.name} service names "${service}" as its PD, but there is no definition for "${service}" (known: ${Object.keys(this.services).join(', ') || 'none'}).`);
    this.events.record('pd.configured', { detail: `the ${definition.name} configuration names ${service} as its PD: starting "${key}" (${nodes} node${nodes === 1 ? '' : 's'}) first` });
    await this.startCluster({ nodes, cluster: key, service, perNodeUsers: options.perNodeUsers });
    return { cluster: key };
  }

  /** A PD's client endpoints, every member (the dependent cluster gets them all, as in production). */
  private pdEndpoints(key: string | undefined): string[] {
    const pd = this.clusterOf(key);
    return pd.names.map((n) => pd.endpoint(n).address);
  }

  /** Starts a dependent server of a cluster (e.g. etcd's grpc-proxy). */
  async startDependent(kind: string, name: string, linked = false, cluster?: string): Promise<void> {
    const c = this.clusterOf(cluster);
    const members = linked ? await this.network.proxyLinks(c, name) : undefined;
    await c.startDependent(kind, name, { dir: this.dir, ports: this.ports, members });
  }

  /** The name a link starts at: a node of a cluster (its PD link), or 'client' / a dependent's name. */
  async linkFrom(link: LinkRef): Promise<string> {
    if (link.peer) return this.resolve(link.peer.from);
    return link.fromNode?.kind === 'index' ? this.resolve(link.fromNode) : link.from;
  }

  /** The node a target means; role selectors bind on first use and stay bound. */
  async resolve(target: NodeTarget): Promise<string> {
    const cluster = this.clusterOf(target.cluster);
    if (target.kind === 'index') return cluster.nameOf(target.index);
    if (target.kind === 'named') return target.name;
    const bound = this.bindings.get(target.ref);
    if (bound) return bound;
    const leader = await cluster.leader(RESOLVE_LEADER_MS);
    if (!leader) {
      const states = cluster.names.map((n) => `${n} ${cluster.state(n)}`).join(', ');
      throw new NodeProcessError(`No leader among the running nodes within ${RESOLVE_LEADER_MS / 1000}s, so "${target.kind}" cannot be chosen (nodes: ${states}).`, { node: target.kind });
    }
    const node = target.kind === 'leader' ? leader : cluster.liveSpecs().find((n) => n.name !== leader)?.name;
    if (!node) throw new NodeProcessError(`No running follower: ${leader} is the only running node.`, { node: 'follower' });
    this.bindings.set(target.ref, node);
    this.events.record('bind', { node, detail: target.kind });
    return node;
  }

  /** The cluster a client talks to: its pinned nodes' cluster, or the one it was made for. */
  clientCluster(client: ClientRef): StartedCluster {
    return this.clusterOf(client.endpoints === 'all' ? client.cluster : client.endpoints[0]?.cluster);
  }

  /** The endpoints a client talks to, in failover order. */
  async endpoints(client: ClientRef): Promise<Endpoint[]> {
    const names = client.endpoints === 'all' ? this.clientCluster(client).names : await Promise.all(client.endpoints.map((t) => this.resolve(t)));
    return names.map((n) => {
      const e = this.clusterOfNode(n).endpoint(n);
      return { ...e, address: this.network.clientAddress(n, e.address) };
    });
  }

  /** Starts an operation; `done` settles with its record (a bare promise would be awaited away). */
  async issue(op: OpRef): Promise<{ done: Promise<OpRecord> }> {
    const endpoints = await this.endpoints(op.client);
    const kv = { op: op.op, key: op.key, value: op.value };
    const cluster = this.clientCluster(op.client);
    if (op.client.under) return { done: this.executeUnderTest(kv, op.client.name, endpoints, op.client.under, op.id, cluster) };
    return { done: this.execute(kv, op.client.name, endpoints, op.client.policy, this.wire(op.client.id, cluster), op.id) };
  }

  /** Runs an operation outside the plan (final reads, custom steps), recorded like any other. */
  execute(op: KvOperation, process: string, endpoints: Endpoint[], policy: ClientRef['policy'], client = this.wire(0), planId?: number): Promise<OpRecord> {
    const id = this.nextOpId++;
    const key = this.keyOfClient(client);
    const done = runOperation(op, { id, process, clock: this.clock, client, endpoints, policy }).then((r) => {
      const record = key ? { ...r, cluster: key } : r;
      this.history.push(record);
      return record;
    });
    if (planId !== undefined) this.pending.set(planId, done);
    return done;
  }

  /** Runs an operation through the service's own client under test, which retries by itself; recorded like ours. */
  executeUnderTest(op: KvOperation, process: string, endpoints: Endpoint[], under: string, planId?: number, cluster = this.cluster): Promise<OpRecord> {
    const id = this.nextOpId++;
    const config = this.clientConfig(cluster.service, under);
    const key = this.keyOfCluster(cluster);
    const invoke = this.clock.now();
    const done = (async () => {
      const client = this.subjectClient(config);
      const proxied = await this.subjectEndpoints(config, cluster, endpoints);
      const r = await client.run(op, proxied, this.clock);
      const complete = this.clock.now();
      const where = proxied.map((e) => `${e.node}@${e.address}`).join(', ');
      const error = r.error ? `${op.op} ${JSON.stringify(op.key)} through ${config.name} (${config.service}'s client under test) failed after ${r.attempts.length} attempt(s) against ${where}: ${r.error}` : undefined;
      const record: OpRecord = {
        ...opRecord({ id, process, cluster: key, op, invoke, complete, outcome: r.outcome, attempts: r.attempts, ...(op.op === 'get' && r.outcome === 'ok' ? { result: r.value ?? null } : {}), error }),
        subject: { service: config.service, client: config.name, kind: config.kind, connections: this.subjectConnections(config, proxied, invoke, complete) },
      };
      this.history.push(record);
      return record;
    })();
    if (planId !== undefined) this.pending.set(planId, done);
    return done;
  }

  /** The configured client a plan names ('*': the service's first; for a watch, its first with a watch). */
  clientConfig(service: ServiceDefinition, under: string, forWatch = false): ClientUnderTestConfig {
    const chosen = chooseClient(service, under, forWatch);
    if (typeof chosen === 'string') throw new EnvironmentError(`${chosen[0]!.toUpperCase()}${chosen.slice(1)}.\n  Fix: configure it in "${service.name}".clients (docs/services.md), or mark this column n/a.`);
    return chosen;
  }

  /** One running client per configured client of a service, for the whole run. */
  subjectClient(config: ClientUnderTestConfig): ClientUnderTest {
    const k = `${config.service}/${config.name}`;
    let c = this.underTest.get(k);
    if (!c) this.underTest.set(k, (c = openClientUnderTest(config, { dir: this.dir, clock: this.clock, guard: this.guard })));
    return c;
  }

  /**
   * The client's endpoints through its own per-link fault proxies ("etcdctl → node-1"), made on first use:
   * its connection attempts are seen there, whatever the client itself reports.
   */
  async subjectEndpoints(config: ClientUnderTestConfig, cluster: StartedCluster, endpoints: Endpoint[]): Promise<Endpoint[]> {
    if (this.subjectsDirect) return endpoints;
    const k = `${config.name}@${this.keyOfCluster(cluster)}`;
    if (!this.subjectLinks.has(k)) {
      this.subjectLinks.add(k);
      await this.network.proxyLinks(cluster, config.name);
    }
    return endpoints.map((e) => ({ node: e.node, address: this.network.linkAddress(config.name, e.node) ?? e.address }));
  }

  /** Connection attempts on the client's links within [from, to]. */
  private subjectConnections(config: ClientUnderTestConfig, endpoints: Endpoint[], from: number, to: number): { t: number; link: string; upstreamError?: string }[] {
    const seen = endpoints.flatMap((e) => {
      const records = this.network.linkRecordsOf(config.name, e.node);
      if (!records) return [];
      return records.connections.filter((c) => c.acceptedAt >= from && c.acceptedAt <= to).map((c) => ({ t: c.acceptedAt, link: records.link, ...(c.upstreamError ? { upstreamError: c.upstreamError.code } : {}) }));
    });
    return seen.sort((a, b) => a.t - b.t);
  }

  /**
   * Set when the plan blocks ports with iptables: a TCP proxy accepts a connection whose upstream SYN is
   * dropped, so the client would see a live connection to a blackholed member (measured with etcdctl:
   * it then waits out its command timeout instead of failing over). Its tries then come from its own reports.
   */
  subjectsDirect = false;

  private readonly underTest = new Map<string, ClientUnderTest>();
  private readonly subjectLinks = new Set<string>();

  /** The record of a plan operation, waiting for it when it runs in the background. */
  async result(planOpId: number): Promise<OpRecord> {
    const p = this.pending.get(planOpId);
    if (!p) throw new RunLookupError(`Operation ${planOpId} has not been issued yet.`);
    return p;
  }

  /** The history of the cluster a client talks to (a watch is checked against its own cluster's writes). */
  historyFor(client: ClientRef): OpRecord[] {
    const key = this.keyOfCluster(this.clientCluster(client));
    return this.history.filter((r) => (r.cluster ?? '') === key);
  }

  /** Watches opened by the plan, by plan id, with what they are. */
  readonly watches = new Map<number, { spec: WatchSpec; handle: WatchClientHandle }>();

  /**
   * Opens a watch: the service's own client under test (its configured watch, through its link proxies,
   * from the current revision + 1), or Faultline's own watch (`using: 'faultline'`), which is an observer.
   */
  async startWatch(spec: WatchSpec): Promise<WatchClientHandle> {
    const cluster = this.clientCluster(spec.client);
    const service = cluster.service;
    const endpoints = await this.endpoints(spec.client);
    let handle: WatchClientHandle;
    if (spec.using === 'faultline') {
      if (!service.watch) throw new EnvironmentError(`The "${service.name}" service has no watch of Faultline's own.\n  Fix: watch with the service's own client (client.watch(prefix, { using: '<client>' })).`);
      handle = await service.watch(endpoints, { clock: this.clock, prefix: spec.prefix });
    } else {
      const config = this.clientConfig(service, spec.using, true);
      const client = this.subjectClient(config);
      const proxied = await this.subjectEndpoints(config, cluster, endpoints);
      const revision = service.currentRevision ? (await service.currentRevision(endpoints[0]!)) + 1 : undefined;
      handle = await client.watch!(proxied, { clock: this.clock, prefix: spec.prefix, ...(revision ? { startRevision: revision } : {}) });
    }
    this.watches.set(spec.id, { spec, handle });
    this.events.record('watch.start', { detail: `${handle.name} on ${JSON.stringify(spec.prefix)} via ${endpoints.map((e) => e.node).join(', ')}` });
    return handle;
  }

  /** Starts a background workload. */
  startWorkload(spec: WorkloadSpec): RunningWorkload {
    const client = spec.client;
    const w = new RunningWorkload(spec, {
      clock: this.clock,
      note: (kind, detail) => this.events.record(kind, { detail }),
      ended: (stats, detail) => this.events.record('workload.stop', { detail, stats }),
      endpoints: () => this.endpoints(client),
      issue: (op, process, endpoints) => this.execute(op, process, endpoints, client.policy, this.wire(client.id, this.clientCluster(client))),
    });
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
      // Leader changes no poll saw, from the members' own lines, before the teardown writes its own.
      async () => [...this.clusters.values()].forEach((c) => c.recordLoggedLeaders()),
      () => this.stopWorkloads(),
      () => Promise.allSettled(this.pending.values()),
      () => Promise.allSettled([...this.watches.values()].map((w) => w.handle.stop())),
      async () => this.clients.forEach((c) => c.close()),
      () => Promise.allSettled([...this.underTest.values()].map((c) => c.close())),
      () => this.network.close(),
      // Dependents before what they depend on: the reverse of the start order (FlareDB, then its PD).
      // Each one is destroyed even when an earlier destroy failed: a PD is never left behind.
      async () => {
        const failures: unknown[] = [];
        for (const [key, c] of [...this.clusters.entries()].reverse()) {
          await c.destroy().catch((e: unknown) => failures.push(e));
          this.events.record('cluster.stop', { detail: `${key === '' ? 'the cluster' : `the ${key} cluster`} (${c.service.name})`, token: c.spec.token });
        }
        if (failures.length) throw failures[0];
      },
    ];
    const errors: unknown[] = [];
    for (const stage of stages) await stage().catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  }

  /** One wire client per plan client (and cluster), made by the service of the cluster it talks to. */
  wire(clientId: number, cluster?: StartedCluster): ServiceClient {
    const clusterKey = cluster ? this.keyOfCluster(cluster) : '';
    const key = `${clientId}@${clusterKey}`;
    let c = this.clients.get(key);
    if (!c) {
      this.clients.set(key, (c = (cluster?.service ?? this.service).createClient()));
      this.clientKeys.set(c, clusterKey);
    }
    return c;
  }

  private readonly clientKeys = new Map<ServiceClient, string>();

  private keyOfClient(client: ServiceClient): string {
    return this.clientKeys.get(client) ?? '';
  }

  keyOfCluster(cluster: StartedCluster): string {
    for (const [k, c] of this.clusters) if (c === cluster) return k;
    return '';
  }
}
