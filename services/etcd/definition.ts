// etcd 3.4 as a service under test: its shipped configuration (etcd.service.json, the faultline.services.json
// format) through the same loader and builder as every configured service, plus the hooks configuration
// cannot say (hooks.ts). So the configuration path runs on every commit against a real server.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '../../runner/contract/service.ts';
import { loadServiceConfigs, readShippedService } from '../config-file.ts';
import { grpcService } from '../grpc-service/definition.ts';
import type { ServiceConfigInput } from '../grpc-service/service-config.ts';
import { etcdHooks } from './hooks.ts';

/** The shipped configuration file. */
export const ETCD_SERVICE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'etcd.service.json');

/** The shipped defaults of etcd, read and shape-checked from its file. */
export function etcdDefaults(): ServiceConfigInput {
  return readShippedService(ETCD_SERVICE_FILE, 'etcd');
}

/** etcd as shipped (no user file): the binary from ETCD_BIN or `etcd` on PATH, etcdctl from ETCDCTL_BIN or PATH. */
export function etcdService(env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  return grpcService(loadServiceConfigs({ etcd: etcdDefaults() }, { env, file: false }).etcd, etcdHooks);
}
