// FlareDB, the KV store that uses ChainFire as PD (gRPC package kvrpc), as configuration: ports, RPC
// and field names are the published facts; the launch flags are a reconstruction to override.
import type { ServiceDefinition } from '../runner/contract/service.ts';
import { grpcService } from './grpc-service/definition.ts';
import { shippedProto, type ServiceConfig, type ServiceConfigInput } from './grpc-service/service-config.ts';

/** The namespace the client reads and writes in (KvRaw's "namespace" field). */
export const FLAREDB_NAMESPACE = 'default';

/** Shipped defaults (api 2479, raft 2480, http 8082 in production). {pd} is ChainFire's api endpoints. */
export const flaredbDefaults: ServiceConfigInput = {
  proto: [shippedProto('flaredb/kvrpc.proto')],
  ports: ['api', 'raft', 'http'],
  clientPort: 'api',
  args: [
    '--store-id', '{index}',
    '--data-dir', '{dataDir}',
    '--addr', '{host}:{port.api}',
    '--raft-addr', '{host}:{port.raft}',
    '--http-addr', '{host}:{port.http}',
    '--peers', '{peers}',
    '--pd-endpoints', '{pd}',
  ],
  env: { RUST_LOG: 'debug' },
  peer: '{index}={host}:{port.raft}',
  // FlareDB needs ChainFire as PD: a scenario that gives it none gets a one-node ChainFire, started first.
  pd: { service: 'chainfire', nodes: 1 },
  readiness: { http: { port: 'http', path: '/health' } },
  // No leader RPC is published for FlareDB: its regions' leaders are known to the PD, not asked here.
  leader: null,
  operations: {
    put: { call: 'kvrpc.KvRaw/RawPut', request: { key: '{key}', value: '{value}', namespace: FLAREDB_NAMESPACE } },
    get: { call: 'kvrpc.KvRaw/RawGet', request: { key: '{key}', namespace: FLAREDB_NAMESPACE }, value: 'value', found: 'found' },
    delete: { call: 'kvrpc.KvRaw/RawDelete', request: { key: '{key}', namespace: FLAREDB_NAMESPACE } },
  },
  // FlareDB's own log lines, as STAND-INS (tracing default format, guessed wording); the PD reconnect line is the seed's.
  logs: {
    timestamp: { pattern: '^\\S*?(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z)', format: 'iso8601' },
    retry: '(?:[Rr]econnect(?:ing|ed)? to PD|PD .*?[Rr]etry)',
    standIn: 'FlareDB log patterns are stand-ins (tracing default format; "Reconnected to PD" from the seed), not read from a real FlareDB',
  },
  // The seed's table: FlareDB's PD client reconnects on a 10 s cycle (flaredb-server/src/main.rs:283-356).
  claims: {
    peer: {
      what: 'FlareDB PD client auto-reconnect (main.rs:283-356)',
      source: 'T040.S4 seed, "Services WITH Reconnection Logic": PD client auto-reconnect (10s cycle), flaredb/crates/flaredb-server/src/main.rs:283-356',
      initial: '10s',
      multiplier: 1,
      max: '10s',
      retries: 'unbounded',
    },
  },
};

/** FlareDB under test; the runner hands it a started ChainFire's endpoints through the cluster spec ({pd}). */
export function flaredbService(config: ServiceConfig): ServiceDefinition {
  return grpcService(config);
}
