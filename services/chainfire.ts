// ChainFire, the etcd-compatible Raft KV (gRPC package chainfire.v1), as configuration: ports, RPC
// names and /health are the published facts; the launch flags are a reconstruction to override.
import type { ServiceDefinition } from '../runner/contract/service.ts';
import { grpcService } from './grpc-service/definition.ts';
import { shippedProto, type ServiceConfig, type ServiceConfigInput } from './grpc-service/service-config.ts';

/** Shipped defaults (api 2379, raft 2380, gossip 2381, http 8081 in production; the runner allocates per node). */
export const chainfireDefaults: ServiceConfigInput = {
  proto: [shippedProto('chainfire/chainfire.proto')],
  ports: ['api', 'raft', 'gossip', 'http'],
  clientPort: 'api',
  args: [
    '--node-id', '{index}',
    '--name', '{name}',
    '--data-dir', '{dataDir}',
    '--api-addr', '{host}:{port.api}',
    '--raft-addr', '{host}:{port.raft}',
    '--gossip-addr', '{host}:{port.gossip}',
    '--http-addr', '{host}:{port.http}',
    '--initial-cluster', '{peers}',
  ],
  env: { RUST_LOG: 'debug' },
  peer: '{name}={host}:{port.raft}',
  readiness: { http: { port: 'http', path: '/health' } },
  leader: { call: 'chainfire.v1.Cluster/Status', self: 'header.member_id', leader: 'leader' },
  operations: {
    put: { call: 'chainfire.v1.KV/Put', request: { key: '{key}', value: '{value}' } },
    get: { call: 'chainfire.v1.KV/Range', request: { key: '{key}' }, value: 'kvs.0.value' },
    delete: { call: 'chainfire.v1.KV/Delete', request: { key: '{key}' } },
  },
  // ChainFire's own log lines, as STAND-INS: no ChainFire binary has been run here, so these follow the
  // tracing crate's default format (RFC 3339 time first) and guess the wording; override them once measured.
  logs: {
    timestamp: { pattern: '^\\S*?(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z)', format: 'iso8601' },
    retry: '(?:[Rr]etry|[Rr]etrying|[Rr]econnect).*?(?:127\\.0\\.0\\.1|localhost):(?<port>\\d+)',
    leader: 'became leader.*?term[ =:]*(?<term>\\d+)',
    follower: 'became follower.*?term[ =:]*(?<term>\\d+)',
    standIn: 'ChainFire log patterns are stand-ins (tracing default format, guessed wording), not read from a real ChainFire',
  },
  // The seed's table: ChainFire's Raft client (chainfire-api/src/raft_client.rs) retries 3 times, 2.0×, 500 ms – 30 s.
  claims: {
    peer: {
      what: 'ChainFire Raft client (raft_client.rs)',
      source: 'T040.S4 seed, "Services WITH Reconnection Logic": exponential backoff, 3 retries, 2.0x multiplier, 500ms-30s, chainfire/crates/chainfire-api/src/raft_client.rs',
      initial: '500ms',
      multiplier: 2,
      max: '30s',
      retries: 3,
    },
  },
};

/** ChainFire under test; the client policy is the runner's default, which is ChainFire's own (3 retries, 2.0×, 500 ms – 30 s). */
export function chainfireService(config: ServiceConfig): ServiceDefinition {
  return grpcService(config);
}
