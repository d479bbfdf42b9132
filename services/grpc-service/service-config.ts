// The shape of one configured gRPC service: what faultline.services.json holds per service, and the
// resolved form the definition is built from. Kept apart so the file reader and the builder agree.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaultlineError } from '../../dsl/errors.ts';
import type { ClientUnderTestConfig } from '../../runner/subjects/subject-config.ts';

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
}

/** Field names of a service entry, for unknown-field checks and hints. */
export const SERVICE_FIELDS: readonly (keyof ServiceConfigInput)[] = ['binary', 'proto', 'protoIncludes', 'ports', 'clientPort', 'args', 'env', 'peer', 'pd', 'readiness', 'leader', 'operations', 'clients'];

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
