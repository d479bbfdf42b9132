// The service registry: one definition per matrix column, every one configuration (shipped defaults —
// etcd's as services/etcd/etcd.service.json —, faultline.services.json, <SERVICE>_BIN / <SERVICE>_PROTO).
import type { ServiceName } from '../dsl/services.ts';
import type { ServiceDefinition } from '../runner/contract/service.ts';
import { chainfireDefaults, chainfireService } from './chainfire.ts';
import { loadServiceConfigs, type ConfigFileOptions } from './config-file.ts';
import { checkPdChains } from './pd-chain.ts';
import { etcdDefaults } from './etcd/definition.ts';
import { etcdHooks } from './etcd/hooks.ts';
import { grpcService } from './grpc-service/definition.ts';
import { flaredbDefaults, flaredbService } from './flaredb.ts';
import { iamDefaults, iamService } from './iam.ts';
import { plasmavmcDefaults, plasmavmcService } from './plasmavmc.ts';

/** The shipped defaults of the configured services, by name. */
export const SHIPPED_DEFAULTS = { etcd: etcdDefaults(), chainfire: chainfireDefaults, flaredb: flaredbDefaults, plasmavmc: plasmavmcDefaults, iam: iamDefaults };

/** Builds every service definition from the environment and the config file (read once, here); throws ServiceConfigError on a bad configuration. */
export function serviceRegistry(env: NodeJS.ProcessEnv = process.env, options: Omit<ConfigFileOptions, 'env'> = {}): Record<ServiceName, ServiceDefinition> {
  const configs = loadServiceConfigs(SHIPPED_DEFAULTS, { ...options, env });
  const services = {
    etcd: grpcService(configs.etcd, etcdHooks),
    chainfire: chainfireService(configs.chainfire),
    flaredb: flaredbService(configs.flaredb),
    plasmavmc: plasmavmcService(configs.plasmavmc),
    iam: iamService(configs.iam),
  };
  // After each service's own checks: a chain is only worth following between valid entries.
  checkPdChains(configs);
  return services;
}
