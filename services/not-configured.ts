// Placeholder for a seed service whose adapter is not written yet: always skipped, never faked.
import type { ServiceDefinition } from '../runner/service.ts';
import { missingBinary } from './config.ts';

/** A service that reports why it cannot run, and refuses every use. */
export function notConfigured(name: string, variable: string, env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  const reason = env[variable] ? `${name} adapter not implemented yet (${variable} is set, but Faultline cannot drive ${name} yet)` : missingBinary(name, variable, env);
  const refuse = (): never => {
    throw new Error(reason);
  };
  return { name, portNames: [], unavailable: () => reason, launch: refuse, endpoint: refuse, probe: refuse, findLeader: refuse, createClient: refuse };
}
