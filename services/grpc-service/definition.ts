// A service under test built entirely from configuration: launch template, readiness, leader RPC, client
// mapping over run-time-loaded .proto files, identity, logs, claims and dependent servers. What
// configuration cannot say comes in as named hooks (ServiceHooks). Invalid configuration throws here,
// before any process starts.
import fs from 'node:fs';
import { commandOutput } from '../../runner/command.ts';
import { EnvironmentError, ForeignNodeError } from '../../runner/process/process-errors.ts';
import type { ClusterSpec, Endpoint, NodeIdentity, NodeSpec, ServiceDefinition } from '../../runner/contract/service.ts';
import { GrpcServiceClient } from './client.ts';
import { dependentService } from './dependent.ts';
import { checkAnswerer, readIdentity } from './identity.ts';
import { HOST, launchCommand, peerPortOf } from './launch.ts';
import { findConfiguredLeader } from './leader.ts';
import { probeNode } from './probe.ts';
import { loadProtoRegistry, type ProtoRegistry } from './proto-registry.ts';
import { buildRequest, readPath } from './request.ts';
import { serverClaim } from './server-claims.ts';
import { originOf, ServiceConfigError, type ServiceConfig } from './service-config.ts';
import { validateConfig } from './validate-config.ts';

/** What configuration cannot say, as code; each hook's module says why it is code. */
export interface ServiceHooks {
  /** The ids a node's answers must state, computed from its launch before it starts (etcd hashes its peer URLs and token). */
  identity?(node: NodeSpec, cluster: ClusterSpec): NodeIdentity;
  /** Faultline's own watch (the observer's): a streaming RPC, which configured operations (unary) cannot describe. */
  watch?: ServiceDefinition['watch'];
}

/** The reason a service without a configured binary is skipped, exactly as reports show it. */
export function notConfiguredReason(config: Pick<ServiceConfig, 'name' | 'variable' | 'missing'>): string {
  return config.missing ?? `${config.name} binary not configured (set ${config.variable})`;
}

/** Builds the definition; throws ServiceConfigError when the configuration cannot work. */
export function grpcService(config: ServiceConfig, hooks: ServiceHooks = {}): ServiceDefinition {
  const registry = loadProtoRegistry(config);
  validateConfig(config, registry);
  const logOffsets = new Map<string, number>();
  const reason = config.binary ? undefined : notConfiguredReason(config);
  const peerPort = peerPortOf(config);
  const fail = (top: 'claims' | 'dependents') => (field: string, rule: string, fix: string): never => {
    throw new ServiceConfigError(originOf(config, top), `${config.name}.${field}`, rule, fix);
  };
  const peerClaim = config.claims?.peer ? serverClaim(config.claims.peer, 'claims.peer', fail('claims')) : undefined;
  const dependents = Object.entries(config.dependents ?? {}).map(([kind, d]) => [kind, dependentService(kind, d, { binary: config.binary, registry, clientPort: config.clientPort, unavailable: reason, fail: fail('dependents') })] as const);
  const endpoint = (node: NodeSpec, cluster?: ClusterSpec): Endpoint => ({
    node: node.name,
    address: `${HOST}:${node.ports[config.clientPort]}`,
    ...(cluster && hooks.identity && config.identity ? { identity: hooks.identity(node, cluster) } : {}),
  });
  const identityPaths = hooks.identity ? config.identity : undefined;
  return {
    name: config.name,
    portNames: [...config.ports],
    ...(peerPort ? { peers: { port: peerPort } } : {}),
    ...(config.logs ? { logs: config.logs } : {}),
    ...(peerClaim ? { claims: { peer: peerClaim } } : {}),
    usesPd: [...config.args, ...Object.values(config.env ?? {})].some((t) => t.includes('{pd}')),
    ...(config.pd && !Array.isArray(config.pd) ? { pdService: { service: config.pd.service, nodes: config.pd.nodes ?? 1 } } : {}),
    unavailable: () => reason,
    launch: (node, cluster, context) => {
      // Never faked: without a binary there is nothing to start.
      if (!config.binary) throw new EnvironmentError(reason);
      logOffsets.set(node.logFile, fileSize(node.logFile));
      // A node's own PD proxies, else the PD cluster the runner started, else the configured list.
      return launchCommand(config, config.binary, node, cluster, node.pd ?? cluster.pd ?? (Array.isArray(config.pd) ? config.pd : []), context?.restart);
    },
    endpoint,
    probe: async (node, cluster) => {
      const ready = await probeNode(config.readiness, node, { registry, clientPort: config.clientPort, logOffset: logOffsets.get(node.logFile) ?? 0 });
      // Ready only when the node also answers as itself: a foreign answer is an error, not "not yet".
      if (!ready.ready || !cluster || !identityPaths) return ready;
      try {
        await identityCall(identityPaths, endpoint(node, cluster), registry);
      } catch (e) {
        if (e instanceof ForeignNodeError) throw e;
        return { ready: false, detail: `${ready.detail}; ${identityPaths.call} → ${(e as Error).message}` };
      }
      return ready;
    },
    findLeader: async (nodes, cluster) => (config.leader ? findConfiguredLeader(config.leader, nodes, { endpoint: (n) => endpoint(n, cluster), ...(identityPaths ? { identity: identityPaths } : {}) }, registry) : undefined),
    createClient: () => new GrpcServiceClient(config.name, registry, config.operations, identityPaths),
    clientsUnderTest: config.subjects,
    ...(config.revision ? { currentRevision: (e: Endpoint) => currentRevision(config.revision!, e, registry, identityPaths) } : {}),
    ...(dependents.length ? { dependents: Object.fromEntries(dependents) } : {}),
    ...(hooks.watch ? { watch: hooks.watch } : {}),
    environment: () => ({
      [`${config.name} binary`]: config.binary ?? 'not configured',
      [`${config.name} proto`]: config.proto.join(', '),
      ...(config.version ? { [`${config.name} version`]: config.binary ? version(config.binary, config.version) : 'not installed' } : {}),
    }),
  };
}

/** One call of the identity RPC; its answer must state the endpoint's ids. */
async function identityCall(identity: NonNullable<ServiceConfig['identity']>, endpoint: Endpoint, registry: ProtoRegistry): Promise<unknown> {
  const rpc = registry.rpc(identity.call)!;
  const client = new GrpcServiceClient('identity', registry, {});
  try {
    const res = await client.call(rpc, buildRequest(identity.request ?? {}, {}, rpc.request, registry), endpoint.address, 1000);
    checkAnswerer(endpoint, readIdentity(res, identity));
    return res;
  } finally {
    client.close();
  }
}

/** The revision `endpoint` reports, checked to come from that node when the service states ids. */
async function currentRevision(revision: NonNullable<ServiceConfig['revision']>, endpoint: Endpoint, registry: ProtoRegistry, identity: ServiceConfig['identity']): Promise<number> {
  const rpc = registry.rpc(revision.call)!;
  const client = new GrpcServiceClient('revision', registry, {});
  try {
    const res = await client.call(rpc, buildRequest(revision.request ?? {}, {}, rpc.request, registry), endpoint.address, 2000);
    if (identity) checkAnswerer(endpoint, readIdentity(res, identity));
    return Number(readPath(res, revision.value));
  } finally {
    client.close();
  }
}

function version(binary: string, v: NonNullable<ServiceConfig['version']>): string {
  return new RegExp(v.pattern).exec(commandOutput(binary, v.args) ?? '')?.[1] ?? 'unknown';
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
