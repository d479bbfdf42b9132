// A started cluster: its node processes, readiness, leader discovery and the seed's signal faults.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { formatMs } from '../dsl/duration.ts';
import { NodeProcessError } from './process/process-errors.ts';
import { RunLookupError } from './errors.ts';
import type { EventLog, RunEvent } from './records/events.ts';
import { loggedLeaders } from './leader-log.ts';
import { NodeProcess, type LogLine, type ProcessGuard } from './process/node-process.ts';
import { RemoteNodeProcess } from './hosts/remote-node.ts';
import type { AnyNodeProcess } from './any-node-process.ts';
import type { HostSession } from './hosts/host-session.ts';
import { hostPath } from './hosts/hosts-config.ts';
import { ensureNodeUser } from './firewall/node-users.ts';
import { createNodeDataDir, type NodeDataDir } from './node-data-dir.ts';
import { pollUntil } from './time/poll.ts';
import type { PortAllocator } from './ports.ts';
import { waitUntilReady } from './wait-ready.ts';
import { NODE_MARKER_VAR, nodeMarker, verifyPortOwners } from './port-owner.ts';
import type { ClusterSpec, DependentDefinition, Endpoint, NodeSpec, ServiceDefinition } from './contract/service.ts';

/** How long a node may take to become ready, and a stopped node to exit after SIGTERM. */
export interface ClusterTimeouts {
  readyMs: number;
  termMs: number;
}

const DEFAULT_TIMEOUTS: ClusterTimeouts = { readyMs: 30_000, termMs: 10_000 };

/** Options of cluster.start(). */
export interface StartOptions {
  nodes: number;
  /** Run each node under its own system user (faultline-n<i>), so partitions can match packets by owner. */
  perNodeUsers?: boolean;
  heartbeatMs?: number;
  electionMs?: number;
  /** Prefix of node names, e.g. "pd-" for "pd-node-1" (a second cluster of the run); default none. */
  namePrefix?: string;
  /** PD endpoints for the launch template's {pd} (a started PD cluster's client addresses). */
  pd?: string[];
  /** Per node name: its own PD endpoints (fault proxies), overriding `pd`. */
  pdPerNode?: Map<string, string[]>;
  /** Node users already taken by other clusters of the run: this cluster's node i runs as faultline-n<i + offset>. */
  userOffset?: number;
  /** Peer links: each node advertises this port (a gate) instead of its own; the gates start before any node. */
  peerGates?: { port: string; start: (spec: ClusterSpec) => Promise<void> };
}

/** Which host node i (1-based) runs on; undefined: this machine. */
export type NodePlacement = (index: number) => HostSession | undefined;

/** A cluster whose nodes the run owns; every process it spawns is killed by `destroy()`. */
export class StartedCluster {
  private readonly procs = new Map<string, AnyNodeProcess>();
  private readonly all = new Set<AnyNodeProcess>();
  private readonly hostOf = new Map<string, HostSession>();

  private constructor(
    readonly spec: ClusterSpec,
    readonly service: ServiceDefinition,
    private readonly events: EventLog,
    private readonly timeouts: ClusterTimeouts,
    private readonly guard?: ProcessGuard,
  ) {}

  /** Configures nodes (ports, data dirs, logs under `dir`), starts them all, waits until all are ready. */
  static async start(
    service: ServiceDefinition,
    options: StartOptions,
    deps: { dir: string; ports: PortAllocator; events: EventLog; timeouts?: Partial<ClusterTimeouts>; guard?: ProcessGuard; placement?: NodePlacement },
  ): Promise<StartedCluster> {
    const nodes: NodeSpec[] = [];
    const token = `faultline-${process.pid}-${randomBytes(4).toString('hex')}`;
    const hosts = new Map<string, HostSession>();
    // On hosts, nodes are told apart by their hosts' addresses: per-node uids (a local partition's means) are not used.
    if (deps.placement && options.nodes > 0 && deps.placement(1)) options = { ...options, perNodeUsers: false };
    if (deps.placement?.(1) && options.peerGates) throw new RunLookupError('Peer links (fault proxies between members) are not available for nodes on SSH hosts: their peers dial each other directly; partition or isolate them instead.');
    // Nodes under their own uids get data dirs they can reach (runner/node-data-dir.ts), kept on failure.
    const dataDir = options.perNodeUsers ? await createNodeDataDir(path.join(deps.dir, `${options.namePrefix ?? ''}node-data`), deps.guard) : undefined;
    const dataBase = dataDir?.path;
    for (let i = 1; i <= options.nodes; i++) {
      const name = `${options.namePrefix ?? ''}node-${i}`;
      const ports = await deps.ports.allocate(service.portNames.length);
      const host = deps.placement?.(i);
      if (host) hosts.set(name, host);
      nodes.push({
        name,
        index: i,
        dataDir: host ? hostPath(host.config.dataDir, { node: name, run: token }) : path.join(dataBase ?? deps.dir, `${name}.data`),
        ...(host ? { host: { name: host.name, address: host.config.peerAddress } } : {}),
        logFile: path.join(deps.dir, `${name}.log`),
        ports: Object.fromEntries(service.portNames.map((p, j) => [p, ports[j]!])),
        ...(options.pdPerNode?.has(name) ? { pd: options.pdPerNode.get(name)! } : {}),
        ...(options.perNodeUsers ? { user: await ensureNodeUser(i + (options.userOffset ?? 0)) } : {}),
        ...(options.peerGates ? { advertised: { [options.peerGates.port]: (await deps.ports.allocate(1))[0]! } } : {}),
      });
    }
    const spec: ClusterSpec = { token, nodes, heartbeatMs: options.heartbeatMs, electionMs: options.electionMs, ...(options.pd ? { pd: options.pd } : {}) };
    const cluster = new StartedCluster(spec, service, deps.events, { ...DEFAULT_TIMEOUTS, ...deps.timeouts }, deps.guard);
    if (dataDir) cluster.tempDirs.push(dataDir);
    for (const [n, h] of hosts) cluster.hostOf.set(n, h);
    const named = options.namePrefix ? `${options.namePrefix.slice(0, -1)}: ` : '';
    deps.events.record('cluster.start', { detail: `${named}${service.name} x${options.nodes}${options.pd ? ` (pd ${options.pd.join(',')})` : ''}`, token: spec.token });
    try {
      // Every host is checked before any node starts anywhere: binary, iptables, ports free on its address.
      await Promise.all(nodes.map((n) => hosts.get(n.name)?.preflight(hosts.get(n.name)!.config.binary ?? service.launch(n, spec).command, Object.values(n.ports))));
      await options.peerGates?.start(spec);
      await Promise.all(nodes.map((n) => cluster.spawn(n.name)));
      await Promise.all(nodes.map((n) => cluster.waitReady(n.name)));
    } catch (e) {
      await cluster.destroy();
      throw e;
    }
    return cluster;
  }

  /** Node names in order: node-1, node-2, ... (with the cluster's prefix, e.g. pd-node-1). */
  get names(): string[] {
    return this.spec.nodes.map((n) => n.name);
  }

  /** The name of the i-th node (1-based). */
  nameOf(index: number): string {
    const spec = this.spec.nodes[index - 1];
    if (!spec) throw new RunLookupError(`This cluster has no node ${index}: it has ${this.names.join(', ')}.`);
    return spec.name;
  }

  /** True for a node or dependent server of this cluster. */
  has(name: string): boolean {
    return this.spec.nodes.some((n) => n.name === name) || this.dependents.has(name);
  }

  nodeSpec(name: string): NodeSpec {
    const spec = this.spec.nodes.find((n) => n.name === name) ?? this.dependents.get(name)?.spec;
    if (!spec) throw new RunLookupError(`Unknown node "${name}": this cluster has ${[...this.names, ...this.dependents.keys()].join(', ')}.`);
    return spec;
  }

  /** The definition of a dependent server of this cluster, or undefined for a member (its claims differ from the service's). */
  dependentDefinition(name: string): DependentDefinition | undefined {
    return this.dependents.get(name)?.def;
  }

  /** Data dirs outside the test's output dir (per-node users); the fixture removes them, or moves them in on failure. */
  readonly tempDirs: NodeDataDir[] = [];

  private readonly dependents = new Map<string, { spec: NodeSpec; def: DependentDefinition; members?: Map<string, string> }>();

  /** Starts a dependent server (e.g. etcd's grpc-proxy) named `name` and waits until it is ready. */
  async startDependent(kind: string, name: string, deps: { dir: string; ports: PortAllocator; members?: Map<string, string> }): Promise<void> {
    const def = this.service.dependents?.[kind];
    if (!def) {
      const known = Object.keys(this.service.dependents ?? {});
      throw new RunLookupError(`The "${this.service.name}" service has no dependent server "${kind}"${known.length ? `; it has ${known.map((k) => `"${k}"`).join(', ')}` : ''}.`);
    }
    const ports = await deps.ports.allocate(def.portNames.length);
    const spec: NodeSpec = { name, index: 0, dataDir: path.join(deps.dir, `${name}.data`), logFile: path.join(deps.dir, `${name}.log`), ports: Object.fromEntries(def.portNames.map((p, j) => [p, ports[j]!])) };
    this.dependents.set(name, { spec, def, members: deps.members });
    await this.spawn(name);
    await this.waitReady(name);
  }

  /** Every log line of a node, across its restarts, on the run's clock. */
  logLines(name: string): LogLine[] {
    return [...this.all].filter((p) => p.spec.name === name).flatMap((p) => p.lines);
  }

  /** The live process of a node, if any. */
  process(name: string): AnyNodeProcess | undefined {
    const p = this.procs.get(name);
    return p?.running ? p : undefined;
  }

  /** running / paused / stopped, as the processes really are. */
  state(name: string): 'running' | 'paused' | 'stopped' {
    const p = this.process(name);
    return !p ? 'stopped' : p.paused ? 'paused' : 'running';
  }

  endpoint(name: string): Endpoint {
    const dependent = this.dependents.get(name);
    return dependent ? dependent.def.endpoint(dependent.spec) : this.service.endpoint(this.nodeSpec(name), this.spec);
  }

  /** Every process group this cluster ever spawned, for a last-resort kill. */
  get pids(): number[] {
    return [...this.all].filter((p) => p.running).map((p) => p.pid);
  }

  /** Starts a stopped node on its data dir and ports and waits until it is ready. */
  async startNode(name: string): Promise<void> {
    if (this.process(name)) throw this.processError(name, `Cannot start ${name}: it is already running.`);
    await this.spawn(name);
    await this.waitReady(name);
  }

  /** kill -9 the node's group and wait until it is gone. */
  async kill(name: string): Promise<void> {
    const p = this.running(name, 'kill');
    await p.signal('SIGKILL');
    await p.exited;
  }

  /** SIGTERM and wait for a clean exit; SIGKILL and an error if it does not exit in time. */
  async term(name: string): Promise<void> {
    const p = this.running(name, 'term');
    if (p.paused) throw this.processError(name, `Cannot SIGTERM ${name}: it is paused, so it would never handle the signal. resume() it first.`);
    await p.signal('SIGTERM');
    const exited = await Promise.race([p.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), this.timeouts.termMs).unref())]);
    if (!exited) {
      await p.signal('SIGKILL');
      await p.exited;
      throw this.processError(name, `${name} did not exit within ${formatMs(this.timeouts.termMs)} of SIGTERM; it was killed with SIGKILL.`);
    }
  }

  /** SIGSTOP: the node freezes with its sockets open. Synchronous for a local node; a promise for one on an SSH host. */
  pause(name: string): void | Promise<void> {
    const p = this.running(name, 'pause');
    if (p.paused) throw this.processError(name, `Cannot pause ${name}: it is already paused.`);
    return settled(p.signal('SIGSTOP'));
  }

  /** SIGCONT after pause(). */
  resume(name: string): void | Promise<void> {
    const p = this.running(name, 'resume');
    if (!p.paused) throw this.processError(name, `Cannot resume ${name}: it is not paused.`);
    return settled(p.signal('SIGCONT'));
  }

  /** The SSH host a node runs on; undefined for a node on this machine. */
  hostOfNode(name: string): HostSession | undefined {
    return this.hostOf.get(name);
  }

  /** SIGTERM, wait for the exit, then start on the same data dir. */
  async restart(name: string): Promise<void> {
    await this.term(name);
    await this.startNode(name);
  }

  /** The leader among running nodes, polling until `withinMs`; undefined when none emerged. */
  async leader(withinMs = 0): Promise<string | undefined> {
    const leader = await pollUntil(() => this.service.findLeader(this.liveSpecs(), this.spec), withinMs, [50, 100, 250]);
    // The node that answered as leader must be our process, whatever the service can say about itself.
    const own = leader ? this.process(leader) : undefined;
    if (own?.owner !== undefined) await verifyPortOwners(own.spec.name, Object.values(own.spec.ports), own.owner, nodeMarker(this.spec.token, own.spec.name));
    // The members' own words first; a poll marks a leader only where no log line told it (the fallback).
    this.recordLoggedLeaders();
    if (leader && leader !== this.lastLeader) this.events.record('leader', { node: leader, token: this.spec.token, source: 'poll' });
    if (leader) this.lastLeader = leader;
    return leader;
  }

  private lastLeader?: string;
  private readonly loggedSeen = new Set<string>();

  /** Records each "became leader" line not yet recorded as a leader event at the line's own time; returns how many. */
  recordLoggedLeaders(): number {
    let added = 0;
    for (const l of loggedLeaders(this.service, this.spec.nodes, this.events.clock)) {
      const key = `${l.node}@${l.t}`;
      if (this.loggedSeen.has(key)) continue;
      this.loggedSeen.add(key);
      this.events.recordAt(l.t, 'leader', { node: l.node, token: this.spec.token, source: 'log', ...(l.term !== undefined ? { term: l.term } : {}) });
      this.lastLeader = l.node;
      added++;
    }
    return added;
  }

  /** When `node` last became leader, by its log line or else by the poll that first saw it. */
  electionOf(node: string): Extract<RunEvent, { kind: 'leader' }> | undefined {
    const mine = this.events.events.filter((e): e is Extract<RunEvent, { kind: 'leader' }> => e.kind === 'leader' && e.token === this.spec.token && e.node === node);
    return mine.sort((a, b) => a.t - b.t).at(-1);
  }

  /** Running (not paused) nodes. */
  liveSpecs(): NodeSpec[] {
    return this.spec.nodes.filter((n) => this.state(n.name) === 'running');
  }

  /** Kills every process this cluster started and waits for all of them. */
  async destroy(): Promise<void> {
    await Promise.all([...this.all].map((p) => p.destroy()));
  }

  private async spawn(name: string): Promise<void> {
    const spec = this.nodeSpec(name);
    const restart = this.procs.has(name);
    const dependent = this.dependents.get(name);
    const launched = dependent ? dependent.def.launch(spec, this.spec, dependent.members) : this.service.launch(spec, this.spec, { restart });
    // Marked, so the node's ports are known as its own even from a child that daemonized away.
    const command = { ...launched, env: { ...launched.env, [NODE_MARKER_VAR]: nodeMarker(this.spec.token, name) } };
    const host = this.hostOf.get(name);
    const proc = host ? await RemoteNodeProcess.spawn(spec, command, this.events, host) : await NodeProcess.spawn(spec, command, this.events, this.guard);
    this.procs.set(name, proc);
    this.all.add(proc);
  }

  private async waitReady(name: string): Promise<void> {
    const proc = this.procs.get(name)!;
    const spec = this.nodeSpec(name);
    const dependent = this.dependents.get(name);
    await waitUntilReady(proc, () => (dependent ? dependent.def.probe(spec) : this.service.probe(spec, this.spec)), this.timeouts.readyMs, nodeMarker(this.spec.token, name));
    this.events.record('ready', { node: name, pid: proc.pid });
  }

  private running(name: string, verb: string): AnyNodeProcess {
    const p = this.process(name);
    if (!p) throw this.processError(name, `Cannot ${verb} ${name}: it is not running.`);
    return p;
  }

  private processError(name: string, message: string): NodeProcessError {
    const p = this.procs.get(name);
    return new NodeProcessError(message, { node: name, pid: p?.pid, exitCode: p?.exit?.exitCode, signal: p?.exit?.signal, lastLines: p?.tail() ?? [] });
  }
}

/** A local signal is done when sent (undefined); a remote one when the host answered (a promise to await). */
function settled(sent: boolean | Promise<boolean>): undefined | Promise<void> {
  return sent instanceof Promise ? sent.then(() => undefined) : undefined;
}
