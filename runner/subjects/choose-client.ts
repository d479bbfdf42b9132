// Which configured client a plan's name means ('*': the service's first, or its first with a watch), or
// why there is none here — the same answer before start (the skip reason) and at the step.
import type { ServiceDefinition } from '../contract/service.ts';
import type { ClientUnderTestConfig } from '../contract/subject-config.ts';

/** The configured client, or the reason (a sentence) why the column cannot run it. */
export function chooseClient(service: Pick<ServiceDefinition, 'name' | 'clientsUnderTest'>, under: string, forWatch = false): ClientUnderTestConfig | string {
  const all = Object.values(service.clientsUnderTest ?? {});
  const names = all.map((c) => `"${c.name}"`).join(', ') || 'none';
  const config = under === '*' ? (forWatch ? all.find((c) => c.kind === 'driver' || c.watch) : all[0]) : service.clientsUnderTest?.[under];
  if (!config) {
    return under === '*'
      ? `${service.name} configures no client under test${forWatch ? ' with a watch' : ''} (its clients: ${names}), and Faultline's own client is never the subject: add one to "${service.name}".clients in faultline.services.json (docs/services.md)`
      : `${service.name} has no client under test "${under}" (its clients: ${names})`;
  }
  if (forWatch && config.kind === 'command' && !config.watch) return `the "${config.name}" client of ${service.name} has no "watch" in its configuration`;
  if (config.unavailable) return `the "${config.name}" client of ${service.name} cannot run here: ${config.unavailable}`;
  return config;
}
