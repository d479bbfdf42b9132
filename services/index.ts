// The service registry: one definition per matrix column.
import type { ServiceName } from '../dsl/services.ts';
import type { ServiceDefinition } from '../runner/service.ts';
import { etcdService } from './etcd/definition.ts';
import { notConfigured } from './not-configured.ts';

/** Builds every service definition from the environment (read once, here). */
export function serviceRegistry(env: NodeJS.ProcessEnv = process.env): Record<ServiceName, ServiceDefinition> {
  return {
    etcd: etcdService(env),
    chainfire: notConfigured('chainfire', 'CHAINFIRE_BIN', env),
    flaredb: notConfigured('flaredb', 'FLAREDB_BIN', env),
    plasmavmc: notConfigured('plasmavmc', 'PLASMAVMC_BIN', env),
    iam: notConfigured('iam', 'IAM_BIN', env),
  };
}
