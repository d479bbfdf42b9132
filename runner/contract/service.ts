// What the runner needs from a service under test; services/ implements it, the runner never imports services/.
import { FaultlineError } from '../../dsl/errors.ts';
import type { RetryPolicy } from '../../dsl/plan.ts';
import type { Clock } from '../time/clock.ts';
import type { Attempt, Outcome } from '../records/history.ts';
import type { ProcessGuard } from './process-guard.ts';
import type { WatchClientHandle } from '../watch/watch-record.ts';
import type { ClientUnderTestConfig } from './subject-config.ts';

/** One node as configured before it starts: stable name, ports, data dir, log file. */
export interface NodeSpec {
  name: string;
  index: number;
  dataDir: string;
  logFile: string;
  ports: Record<string, number>;
  /** This node's own PD endpoints (fault proxies when the plan names its PD links); else the cluster's. */
  pd?: string[];
  /**
   * Ports other nodes reach this one at, where they differ from `ports`: a peer gate in front of the
   * peer port when the plan names peer links. A launch advertises these (`{peers}`) and listens on `ports`.
   */
  advertised?: Record<string, number>;
  /** The SSH host the node runs on, and the address it listens on and its peers dial there; absent: 127.0.0.1. */
  host?: { name: string; address: string };
  /** The node's own uid/gid, when the plan needs to tell its packets apart (partitions). */
  user?: { uid: number; gid: number; name: string };
}

/** A cluster as configured: its nodes and the options of cluster.start(). */
export interface ClusterSpec {
  /** Unique per run, so two clusters never join each other. */
  token: string;
  nodes: NodeSpec[];
  heartbeatMs?: number;
  electionMs?: number;
  /** PD endpoints ("127.0.0.1:port"), when the plan starts this cluster with a PD cluster. */
  pd?: string[];
}

/** The command line that starts one node. */
export interface LaunchCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Who a node says it is in its answers (etcd: cluster and member id, hex), to tell our node from a foreign one. */
export interface NodeIdentity {
  cluster?: string;
  member?: string;
}

/** Where a client reaches a node. */
export interface Endpoint {
  node: string;
  address: string;
  /** What the node's answers must state; an answer stating otherwise came from another process. */
  identity?: NodeIdentity;
}

/** A key-value operation as the client executes it. */
export interface KvOperation {
  op: 'put' | 'get' | 'delete';
  key: string;
  value?: string;
}

/** One failed attempt. `sent: 'no'` only when the request certainly never reached the server. */
export class AttemptError extends FaultlineError {
  override name = 'AttemptError';
  constructor(
    readonly status: string,
    message: string,
    readonly sent: 'no' | 'maybe',
  ) {
    super(message);
  }
}

/** A service's wire client: one attempt at a time; the runner owns retries and records. */
export interface ServiceClient {
  /**
   * One attempt against one endpoint; resolves with the value read (gets) or undefined. Throws AttemptError,
   * or ForeignNodeError when the answer came from another process. `answeredBy` gets who answered, when the answer says.
   */
  attempt(op: KvOperation, endpoint: Endpoint, timeoutMs: number, answeredBy?: (who: NodeIdentity) => void): Promise<string | null | undefined>;
  close(): void;
}

/** A server that depends on the cluster (e.g. etcd's grpc-proxy): started by the plan, used like a node. */
export interface DependentDefinition {
  portNames: string[];
  /** `members` maps node names to the address the server must use (a fault proxy when the plan names its links). */
  launch(node: NodeSpec, cluster: ClusterSpec, members?: Map<string, string>): LaunchCommand;
  endpoint(node: NodeSpec): Endpoint;
  probe(node: NodeSpec): Promise<{ ready: boolean; detail: string }>;
  /** What its source says it does when a member it depends on goes away (its reconnects on each member link). */
  claims?: { reconnect?: PeerRetryClaim };
}

/** What a client under test reports for one whole operation (its own retries included). */
export interface WholeOperationResult {
  /** The value read, for gets (null: absent). */
  value?: string | null;
  outcome: Outcome;
  /** Each attempt the client let us see (from its log, or one per call when it shows none). */
  attempts: Attempt[];
  error?: string;
}

/**
 * A real client nobody here wrote (etcdctl, the etcd3 library): it retries by itself, so one call
 * runs a whole operation, and the attempts are what it reveals.
 */
export interface SelfRetryingClient {
  readonly name: string;
  run(op: KvOperation, endpoints: Endpoint[], clock: Clock): Promise<WholeOperationResult>;
  close(): Promise<void>;
}

/** How to read a service's own log lines: their timestamps, and the lines that say what the server did. */
export interface ServiceLogs {
  /** A regex whose first group is the line's own time, and how to read it. */
  timestamp: { pattern: string; format: 'iso8601' | 'unix-seconds' | 'unix-millis' };
  /**
   * Lines saying this server (re)dials or retries a peer. Named groups: `port` (the peer's advertised
   * port, which names the link) and `series` (one retry loop among several per link, e.g. a stream).
   */
  retry?: string;
  /** Lines saying this server became leader; group `term`. */
  leader?: string;
  /** Lines saying this server stepped down to follower; group `term`. */
  follower?: string;
  /** Set when these patterns are stand-ins, not read from the real server's output: says so in the evidence. */
  standIn?: string;
}

/** A server-to-server retry policy as the service claims it (from its source or docs, never from a run). */
export interface PeerRetryClaim {
  /** Which client retries, e.g. "rafthttp stream reader" or "ChainFire Raft client". */
  what: string;
  /** Where the claim comes from: file and constant, or the plan's table. */
  source: string;
  initialMs: number;
  multiplier: number;
  maxMs: number;
  /** Retries after the first attempt; 'unbounded' when it never gives up. */
  retries: number | 'unbounded';
  /** The claimed random spread of each pause (0.2 = ±20 %), allowed on top of the check's tolerance. */
  jitter?: number;
  /** True when `initialMs` is a minimum spacing (a rate limiter), not an exact pause: longer gaps still match. */
  atMostEvery?: boolean;
  /** The retry loops per link, when several (etcd: one per stream); attempts of other series are counted, not spaced. */
  series?: string[];
}

/** One service under test. */
export interface ServiceDefinition {
  /** How to read its own log lines (retries, leader changes), when known. */
  logs?: ServiceLogs;
  /** What it claims about its own behaviour, compared with what a run measures. */
  claims?: { peer?: PeerRetryClaim };
  name: string;
  /** Why the service cannot run here (e.g. binary not configured), or undefined when it can. */
  unavailable(): string | undefined;
  /** Names of the ports each node needs, e.g. ['client', 'peer']. */
  portNames: string[];
  /**
   * How members find each other: `port` names the peer port whose advertised address the launch gives
   * every member (etcd: --initial-cluster, --initial-advertise-peer-urls). Without it there are no peer links.
   */
  peers?: { port: string };
  /** True when the launch uses PD endpoints (`cluster.pd`), so a plan may give this cluster a PD. */
  usesPd?: boolean;
  /** The PD this service needs (like Testcontainers' dependsOn): the runner starts it first when the plan gives none. */
  pdService?: { service: string; nodes: number };
  /** `restart` is true when the node ran before in this cluster (its data dir may or may not hold state). */
  launch(node: NodeSpec, cluster: ClusterSpec, context?: { restart: boolean }): LaunchCommand;
  /** `cluster` lets the endpoint carry the identity the node's answers must state. */
  endpoint(node: NodeSpec, cluster?: ClusterSpec): Endpoint;
  /** One readiness probe; returns a description of what it saw when not ready; throws ForeignNodeError on another process's answer. */
  probe(node: NodeSpec, cluster?: ClusterSpec): Promise<{ ready: boolean; detail: string }>;
  /** The current leader's node name among the given nodes, or undefined when none answers as leader; throws ForeignNodeError as probe(). */
  findLeader(nodes: NodeSpec[], cluster?: ClusterSpec): Promise<string | undefined>;
  createClient(): ServiceClient;
  /**
   * The service's own clients under test, by name, from its configuration ("clients"); the first is the
   * one a scenario's `client.underTest()` means. Faultline's recording client is never among them.
   */
  clientsUnderTest?: Record<string, ClientUnderTestConfig>;
  /** The current revision as `endpoint` reports it, so a client's watch can start right after it. */
  currentRevision?(endpoint: Endpoint): Promise<number>;
  /** Servers a scenario can start in front of the cluster, by kind. */
  dependents?: Record<string, DependentDefinition>;
  /** Opens Faultline's own watch (the observer's, `using: 'faultline'`); services without one leave it out. */
  watch?(endpoints: Endpoint[], options: { clock: Clock; prefix: string }): Promise<WatchClientHandle>;
  /** Facts for the report's environment section, e.g. { 'etcd version': '3.4.23' }. */
  environment?(): Record<string, string>;
}

/** The policy type, re-exported for service authors. */
export type { RetryPolicy };
