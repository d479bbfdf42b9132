// A recorded plan is plain data: listable, validated before anything starts, readable statically.
import type { SpecLocation } from './location.ts';
import type { MatrixStatus, ServiceName } from './services.ts';
import type { ExpectCall } from './matcher-args.ts';

/**
 * Which node a verb acts on. `ref` identifies the selector: it binds to one node on first use.
 * `cluster` is the key of the cluster the node belongs to; unset: the column's own cluster.
 */
export type NodeTarget = (
  | { kind: 'index'; index: number; ref: number }
  | { kind: 'named'; name: string; ref: number }
  | { kind: 'leader'; ref: number }
  | { kind: 'follower'; ref: number }
) & { cluster?: string };

/**
 * A cluster besides the column's own, declared with `cluster(service, { name, pd })`. Its key is
 * its name (default: the service); a key equal to the column's service means the column's cluster.
 */
export interface ClusterDecl {
  key: string;
  service: ServiceName;
  location?: SpecLocation;
}

/** The seed's client policy shape: retries after the first attempt, exponential backoff. */
export interface RetryPolicy {
  retries: number;
  initialMs: number;
  multiplier: number;
  maxMs: number;
  /** Each attempt's own deadline: without one a request caught in an election hangs. */
  attemptTimeoutMs: number;
}

/** A client as the plan knows it: which endpoints, which policy. */
export interface ClientRef {
  id: number;
  name: string;
  /**
   * The service's own client under test by its configured name (e.g. "etcdctl", "etcd3"), or '*' for the
   * service's first configured one; unset: Faultline's own recording client (the observer).
   */
  under?: string;
  /** With endpoints 'all': the cluster whose nodes (unset: the column's cluster). */
  cluster?: string;
  endpoints: 'all' | NodeTarget[];
  policy: RetryPolicy;
}

/** An operation the plan issues; `id` links expectations to it. */
export interface OpRef {
  id: number;
  client: ClientRef;
  op: 'put' | 'get' | 'delete';
  key: string;
  value?: string;
}

/** What an expectation is about. */
export type Subject =
  | { kind: 'op'; op: OpRef }
  | { kind: 'watch'; watch: WatchSpec }
  | { kind: 'log'; target: NodeTarget }
  | { kind: 'link'; link: LinkRef }
  | { kind: 'client'; client: ClientRef; op?: OpRef }
  | { kind: 'cluster'; cluster?: string };

/** A background workload: concurrent clients with unique values over a small key space. */
export interface WorkloadSpec {
  id: number;
  clients: number;
  /** Operations per second, all clients together. */
  rate: number;
  keys: number;
  mix: { put: number; get: number; delete: number };
  /** Stops by itself after this long; undefined: runs until stopped (or the test ends). */
  forMs?: number;
  client: ClientRef;
}

/**
 * Which watch client a scenario runs: a client under test of the service by its configured name (e.g.
 * "etcdctl", "etcd3"), '*' for the service's first configured client with a watch, or 'faultline' — the
 * observer's own watch (no reconnect), which judges no retry, reconnect or resume expectation.
 */
export type WatchClientKind = string;

/** A watch the plan opens in the background. */
export interface WatchSpec {
  id: number;
  prefix: string;
  using: WatchClientKind;
  client: ClientRef;
}

/** A directed link through a fault proxy: from the test's clients (or a dependent server) to a node. */
export interface LinkRef {
  id: number;
  /** 'client', the name of a dependent server (e.g. "grpc-proxy"), or the label of `fromNode`. */
  from: string;
  /**
   * Where the link starts, when not at the clients: a dependent server (kind 'named', in front of
   * `to`'s cluster), or a node by number of a cluster that uses `to`'s cluster as PD (its PD traffic).
   */
  fromNode?: Extract<NodeTarget, { kind: 'index' | 'named' }>;
  to: NodeTarget;
  /**
   * A peer link between two members of one cluster (`from.peerLink(to)`: the dials `from` makes to
   * `to`), or with `group` every peer link of `from`: 'out' its dials, 'in' the others' dials to it.
   */
  peer?: { from: NodeTarget; group?: 'in' | 'out' | 'both' };
}

/** A fault on one link, as Toxiproxy names them. */
export type LinkFault =
  | { kind: 'refuse' }
  | { kind: 'reset' }
  | { kind: 'blackhole' }
  | { kind: 'latency'; ms: number; jitterMs?: number }
  | { kind: 'bandwidth'; bytesPerSecond: number };

/** A custom step body: gets the runtime context (typed by the runner). */
export type CustomStepBody = (rt: never) => Promise<void> | void;

/** How a port block is applied: the seed's iptables rule, or the fault proxy where iptables is not usable. */
export type BlockBackend = 'auto' | 'iptables' | 'proxy';

/** Node verbs: the seed's failure methods plus start/restart. */
export type NodeVerb = 'kill' | 'term' | 'pause' | 'resume' | 'start' | 'restart';

/** One recorded verb; each becomes one boxed test step. */
export type PlanStep = { title: string; location?: SpecLocation } & (
  | {
      kind: 'cluster.start';
      cluster?: string;
      /** The service of a declared cluster (unset: the column's). */
      service?: ServiceName;
      nodes: number;
      heartbeatMs?: number;
      electionMs?: number;
      /** The PD cluster (`{}`: the column's own): its client endpoints fill {pd}. */
      pd?: { cluster?: string };
    }
  | { kind: 'cluster.waitForLeader'; cluster?: string; withinMs: number }
  | { kind: 'node'; verb: NodeVerb; target: NodeTarget }
  | { kind: 'op'; op: OpRef; background: boolean; checked: boolean }
  | { kind: 'wait'; ms: number }
  | { kind: 'custom'; body: CustomStepBody }
  | { kind: 'net'; verb: 'block' | 'unblock' | 'isolate'; target: NodeTarget; via: BlockBackend }
  | {
      /** A fault on one node by its runtime name (runner/faults/): its own file there, its verb on NodeHandle. */
      kind: 'node.fault';
      fault: string;
      target: NodeTarget;
      params?: Readonly<Record<string, string | number | boolean>>;
      /** For a fault that holds: the verbs that end it (e.g. ['restore']). */
      healedBy?: readonly string[];
      /** For a heal verb (restore): it ends the node's faults whose `healedBy` names it. */
      heals?: boolean;
    }
  | { kind: 'partition'; cluster?: string; groups: number[][] }
  | { kind: 'heal' }
  | { kind: 'watch.start'; watch: WatchSpec }
  | { kind: 'link.fault'; link: LinkRef; fault: LinkFault }
  | { kind: 'link.heal'; link: LinkRef }
  | { kind: 'link.cut'; link: LinkRef }
  | { kind: 'dependent.start'; cluster?: string; dependent: string; name: string }
  | { kind: 'workload.start'; workload: WorkloadSpec }
  | { kind: 'workload.stop'; workload: WorkloadSpec }
  | ({ kind: 'expect'; subject: Subject } & ExpectCall)
);

/** A scenario's declaration and its recorded steps. */
export interface Plan {
  id: string;
  title: string;
  variant?: string;
  goal?: string;
  matrix: Partial<Record<ServiceName, MatrixStatus>>;
  reasons: Partial<Record<ServiceName, string>>;
  recommendation?: string;
  steps: PlanStep[];
  /** Clusters besides the column's own (a PD, a second store), in the order they were declared. */
  clusters: ClusterDecl[];
  location?: SpecLocation;
  /** Misuse found while recording or validating; a plan with problems never starts a process. */
  problems: Error[];
  /**
   * Rules broken only as one column runs the plan (a declared cluster named like that column is the
   * column's own cluster): they fail that column's test only.
   */
  columnProblems: Partial<Record<ServiceName, Error[]>>;
}
