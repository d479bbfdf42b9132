// What the runner needs from a service under test; services/ implements it, the runner never imports services/.
import { FaultlineError } from '../dsl/errors.ts';
import type { RetryPolicy } from '../dsl/plan.ts';
import type { Clock } from './clock.ts';
import type { Attempt, Outcome } from './history.ts';
import type { ProcessGuard } from './process-guard.ts';
import type { WatchClientHandle } from './watch/watch-record.ts';

/** One node as configured before it starts: stable name, ports, data dir, log file. */
export interface NodeSpec {
  name: string;
  index: number;
  dataDir: string;
  logFile: string;
  ports: Record<string, number>;
  /** This node's own PD endpoints (fault proxies when the plan names its PD links); else the cluster's. */
  pd?: string[];
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

/** One service under test. */
export interface ServiceDefinition {
  name: string;
  /** Why the service cannot run here (e.g. binary not configured), or undefined when it can. */
  unavailable(): string | undefined;
  /** Names of the ports each node needs, e.g. ['client', 'peer']. */
  portNames: string[];
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
  /** Real clients under test, by name (e.g. "etcdctl", "etcd3"). */
  clientsUnderTest?: Record<string, (options?: { guard?: ProcessGuard }) => SelfRetryingClient>;
  /** Servers a scenario can start in front of the cluster, by kind. */
  dependents?: Record<string, DependentDefinition>;
  /** Opens a watch with one of the clients under test; services without watches leave it out. */
  watch?(using: string, endpoints: Endpoint[], options: { clock: Clock; prefix: string; logFile: string; guard?: ProcessGuard }): Promise<WatchClientHandle>;
  /** Facts for the report's environment section, e.g. { 'etcd version': '3.4.23' }. */
  environment?(): Record<string, string>;
}

/** The policy type, re-exported for service authors. */
export type { RetryPolicy };
