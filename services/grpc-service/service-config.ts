// The shape of one configured gRPC service: what faultline.services.json holds per service, and the
// resolved form the definition is built from. Kept apart so the file reader and the builder agree.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaultlineError } from '../../dsl/errors.ts';
import type { ClientUnderTestConfig } from '../../runner/contract/subject-config.ts';

/** How a node shows it is ready: an HTTP status, a successful gRPC call, or a log line (a regex). */
export type ReadinessConfig =
  | { http: { port: string; path: string; status?: number; body?: string } }
  | { grpc: { call: string; request?: Record<string, unknown> } }
  | { log: string };

/**
 * Leader discovery: one call per node; either `isLeader` names a boolean field, or `self` and
 * `leader` name the node's own id and the leader's id (etcd's Status shape).
 */
export interface LeaderConfig {
  call: string;
  request?: Record<string, unknown>;
  isLeader?: string;
  self?: string;
  leader?: string;
}

/** One client operation: the RPC ("package.Service/Method"), the request template, and for gets where the value is. */
export interface OperationConfig {
  call: string;
  /** Field → value; strings may use {key} (and {value} for put). */
  request: Record<string, unknown>;
  /** get only: dot path of the value in the response, e.g. "kvs.0.value". */
  value?: string;
  /** get only: dot path of a boolean that is false when the key is missing. */
  found?: string;
}

/** The client operations a service maps; an unmapped operation fails with a clear error. */
export interface OperationsConfig {
  put?: OperationConfig;
  get?: OperationConfig;
  delete?: OperationConfig;
}

/** Which node answered: a call every node answers (readiness checks it once) and where its answers state the ids. */
export interface IdentityConfig {
  call: string;
  request?: Record<string, unknown>;
  /** Dot paths of the cluster's and the node's own id in any response (e.g. "header.cluster_id"); absent paths are skipped. */
  cluster?: string;
  member?: string;
}

/** The current revision (so a watch under test starts right after it): a call and the path of the revision. */
export interface RevisionConfig {
  call: string;
  request?: Record<string, unknown>;
  value: string;
}

/** A server-to-server retry policy as the service's source or docs state it (JSON form of PeerRetryClaim). */
export interface ServerClaimInput {
  what: string;
  source: string;
  initial: string;
  multiplier: number;
  max: string;
  retries: number | 'unbounded';
  jitter?: number;
  atMostEvery?: boolean;
  series?: string[];
}

/** How to read the server's own log lines (JSON form of ServiceLogs). */
export interface LogsInput {
  timestamp: { pattern: string; format: 'iso8601' | 'unix-seconds' | 'unix-millis' };
  retry?: string;
  leader?: string;
  follower?: string;
  standIn?: string;
}

/** A server that depends on the cluster (etcd's grpc-proxy), started by a scenario and used like a node. */
export interface DependentInput {
  /** Default: the service's own binary. */
  binary?: string;
  ports: string[];
  clientPort: string;
  /** Launch template; {members} is every member's client address (fault proxies when the plan names its links). */
  args: string[];
  env?: Record<string, string>;
  readiness: ReadinessConfig;
  claims?: { reconnect?: ServerClaimInput };
}

/** A PD the runner starts: a cluster of `service` with `nodes` nodes (default 1). */
export interface PdServiceConfig {
  service: string;
  nodes?: number;
}

/** One service as written in faultline.services.json (and as the shipped defaults are written). */
export interface ServiceConfigInput {
  binary?: string;
  proto: string[];
  protoIncludes?: string[];
  ports: string[];
  clientPort: string;
  args: string[];
  env?: Record<string, string>;
  peer?: string;
  /**
   * PD endpoints for {pd}: a fixed list (a PD you run yourself), or the service whose cluster the
   * runner starts first as this one's PD when a scenario gives it none ({ "service": "chainfire", "nodes": 1 }).
   */
  pd?: string[] | PdServiceConfig;
  readiness: ReadinessConfig;
  leader?: LeaderConfig | null;
  operations: OperationsConfig;
  /** The service's own clients under test (a CLI or a driver), with what each claims (services/clients/). */
  clients?: Record<string, unknown>;
  /** Appended to the reason the service is unavailable when its binary is missing, e.g. how to install it. */
  install?: string;
  /** Placeholders whose value depends on the node's start: its first in the cluster, or a restart. */
  byStart?: Record<string, { first: string; restart: string }>;
  /** What {heartbeatMs} and {electionMs} are when cluster.start() sets no heartbeat or election. */
  timing?: { heartbeatMs: number; electionMs: number };
  /** Where answers state which cluster and node sent them (checked against ids computed by a hook). */
  identity?: IdentityConfig;
  revision?: RevisionConfig;
  logs?: LogsInput;
  /** What the servers claim about their retries to each other, citing the source. */
  claims?: { peer?: ServerClaimInput };
  dependents?: Record<string, DependentInput>;
  /** How the binary tells its version, for the report's environment: arguments and a regex (group 1). */
  version?: { args: string[]; pattern: string };
  /** Not a JSON field: the directory relative paths of shipped defaults start from (a shipped .service.json's). */
  baseDir?: string;
}

/** A service after defaults, the user's file and the environment: paths absolute, binary checked. */
export interface ServiceConfig extends ServiceConfigInput {
  name: string;
  /** The variable that configures the binary, e.g. CHAINFIRE_BIN. */
  variable: string;
  /** Where each top-level field came from, for error messages. */
  origins: Partial<Record<keyof ServiceConfigInput, string>>;
  /** `clients`, checked and resolved (paths absolute, programs looked up). */
  subjects: Record<string, ClientUnderTestConfig>;
  /** Why the service cannot run here when its shipped binary is not found (a skip, not an error). */
  missing?: string;
}

/** Field names of a service entry, for unknown-field checks and hints. */
export const SERVICE_FIELDS: readonly Exclude<keyof ServiceConfigInput, 'baseDir'>[] = ['binary', 'proto', 'protoIncludes', 'ports', 'clientPort', 'args', 'env', 'peer', 'pd', 'readiness', 'leader', 'operations', 'clients', 'install', 'byStart', 'timing', 'identity', 'revision', 'logs', 'claims', 'dependents', 'version'];

/** A configuration that cannot work: names where it came from, the field, the rule and the fix. */
export class ServiceConfigError extends FaultlineError {
  override name = 'ServiceConfigError';
  constructor(
    readonly source: string,
    readonly field: string,
    readonly rule: string,
    readonly fix: string,
  ) {
    super(`Invalid service configuration at "${field}" in ${source}: ${rule}\n  Fix: ${fix}`);
  }
}

/** Where a field of `config` came from, worded for an error message. */
export function originOf(config: Pick<ServiceConfig, 'origins' | 'name'>, field: keyof ServiceConfigInput): string {
  return config.origins[field] ?? `the shipped defaults of "${config.name}"`;
}

const PROTO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'proto');

/** The absolute path of a shipped default .proto file, e.g. shippedProto('chainfire/chainfire.proto'). */
export function shippedProto(relative: string): string {
  return path.join(PROTO_DIR, relative);
}
