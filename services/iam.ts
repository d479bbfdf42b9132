// IAM as configuration: its ports (gRPC 50080, HTTP 8083 /health) are the published facts; its .proto
// and RPC mapping are stand-ins (services/proto/iam) to be replaced by the platform's own files.
import type { ServiceDefinition } from '../runner/contract/service.ts';
import { grpcService } from './grpc-service/definition.ts';
import { shippedProto, type ServiceConfig, type ServiceConfigInput } from './grpc-service/service-config.ts';

/** Shipped defaults: one process per node, no leader; the seed's gap is that its clients never retry. */
export const iamDefaults: ServiceConfigInput = {
  proto: [shippedProto('iam/iam.proto')],
  ports: ['api', 'http'],
  clientPort: 'api',
  args: ['--data-dir', '{dataDir}', '--grpc-addr', '{host}:{port.api}', '--http-addr', '{host}:{port.http}'],
  env: { RUST_LOG: 'debug' },
  readiness: { http: { port: 'http', path: '/health' } },
  leader: null,
  operations: {
    put: { call: 'iam.v1.PolicyStore/PutPolicy', request: { name: '{key}', document: '{value}' } },
    get: { call: 'iam.v1.PolicyStore/GetPolicy', request: { name: '{key}' }, value: 'document', found: 'found' },
    delete: { call: 'iam.v1.PolicyStore/DeletePolicy', request: { name: '{key}' } },
  },
};

/** IAM under test. */
export function iamService(config: ServiceConfig): ServiceDefinition {
  return grpcService(config);
}
