// A service may name another as its PD ("pd": { "service": "chainfire" }); the runner starts that one
// first, and its own PD before it. A chain that comes back to where it started would never end.
import { originOf, ServiceConfigError, type ServiceConfig } from './grpc-service/service-config.ts';

/** Throws a ServiceConfigError when following "pd" services from any service leads back to it. */
export function checkPdChains(configs: Record<string, ServiceConfig>): void {
  for (const start of Object.values(configs)) {
    const chain = [start.name];
    let current: ServiceConfig | undefined = start;
    while (current?.pd && !Array.isArray(current.pd)) {
      const next: string = current.pd.service;
      if (chain.includes(next)) {
        throw new ServiceConfigError(
          originOf(current, 'pd'),
          `${current.name}.pd.service`,
          `the PD services form a cycle (${[...chain, next].join(' → ')}): the runner would start PDs forever.`,
          `give one of them a fixed list of endpoints (e.g. "pd": ["127.0.0.1:2379"]) or "pd": [] if it needs no PD.`,
        );
      }
      chain.push(next);
      current = configs[next];
    }
  }
}
