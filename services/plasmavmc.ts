// PlasmaVMC as configuration: its ports (gRPC 50082, HTTP 8084 /health) are the published facts; its
// .proto and RPC mapping are stand-ins (services/proto/plasmavmc) to be replaced by the platform's own files.
import type { ServiceDefinition } from '../runner/contract/service.ts';
import { grpcService } from './grpc-service/definition.ts';
import { shippedProto, type ServiceConfig, type ServiceConfigInput } from './grpc-service/service-config.ts';

/** Shipped defaults: one process per node, no leader; the seed's gap is that its remote calls never retry. */
export const plasmavmcDefaults: ServiceConfigInput = {
  proto: [shippedProto('plasmavmc/plasmavmc.proto')],
  ports: ['api', 'http'],
  clientPort: 'api',
  args: ['--data-dir', '{dataDir}', '--grpc-addr', '{host}:{port.api}', '--http-addr', '{host}:{port.http}'],
  env: { RUST_LOG: 'debug' },
  readiness: { http: { port: 'http', path: '/health' } },
  leader: null,
  operations: {
    put: { call: 'plasmavmc.v1.VmService/CreateVm', request: { name: '{key}', spec: '{value}' } },
    get: { call: 'plasmavmc.v1.VmService/GetVm', request: { name: '{key}' }, value: 'vm.spec', found: 'found' },
    delete: { call: 'plasmavmc.v1.VmService/DeleteVm', request: { name: '{key}' } },
  },
};

/** PlasmaVMC under test. */
export function plasmavmcService(config: ServiceConfig): ServiceDefinition {
  return grpcService(config);
}
