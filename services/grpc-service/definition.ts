// A service under test built entirely from configuration: launch template, readiness, leader RPC and
// client mapping over run-time-loaded .proto files. Invalid configuration throws here, before any process starts.
import { EnvironmentError } from '../../runner/process/process-errors.ts';
import fs from 'node:fs';
import type { ServiceDefinition } from '../../runner/contract/service.ts';
import { GrpcServiceClient } from './client.ts';
import { HOST, launchCommand, peerPortOf } from './launch.ts';
import { findConfiguredLeader } from './leader.ts';
import { probeNode } from './probe.ts';
import { loadProtoRegistry } from './proto-registry.ts';
import type { ServiceConfig } from './service-config.ts';
import { validateConfig } from './validate-config.ts';

/** The reason a service without a configured binary is skipped, exactly as reports show it. */
export function notConfiguredReason(config: Pick<ServiceConfig, 'name' | 'variable'>): string {
  return `${config.name} binary not configured (set ${config.variable})`;
}

/** Builds the definition; throws ServiceConfigError when the configuration cannot work. */
export function grpcService(config: ServiceConfig): ServiceDefinition {
  const registry = loadProtoRegistry(config);
  validateConfig(config, registry);
  const logOffsets = new Map<string, number>();
  const reason = config.binary ? undefined : notConfiguredReason(config);
  const peerPort = peerPortOf(config);
  return {
    name: config.name,
    portNames: [...config.ports],
    ...(peerPort ? { peers: { port: peerPort } } : {}),
    usesPd: [...config.args, ...Object.values(config.env ?? {})].some((t) => t.includes('{pd}')),
    ...(config.pd && !Array.isArray(config.pd) ? { pdService: { service: config.pd.service, nodes: config.pd.nodes ?? 1 } } : {}),
    unavailable: () => reason,
    launch: (node, cluster) => {
      // Never faked: without a binary there is nothing to start.
      if (!config.binary) throw new EnvironmentError(reason);
      logOffsets.set(node.logFile, fileSize(node.logFile));
      // A node's own PD proxies, else the PD cluster the runner started, else the configured list.
      return launchCommand(config, config.binary, node, cluster, node.pd ?? cluster.pd ?? (Array.isArray(config.pd) ? config.pd : []));
    },
    endpoint: (node) => ({ node: node.name, address: `${HOST}:${node.ports[config.clientPort]}` }),
    probe: (node) => probeNode(config.readiness, node, { registry, clientPort: config.clientPort, logOffset: logOffsets.get(node.logFile) ?? 0 }),
    findLeader: async (nodes) => (config.leader ? findConfiguredLeader(config.leader, nodes, config.clientPort, registry) : undefined),
    createClient: () => new GrpcServiceClient(config.name, registry, config.operations),
    clientsUnderTest: config.subjects,
    environment: () => ({ [`${config.name} binary`]: config.binary ?? 'not configured', [`${config.name} proto`]: config.proto.join(', ') }),
  };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
