// Clients under test by configuration: one entry point for the run and the tests.
import path from 'node:path';
import type { Clock } from '../time/clock.ts';
import type { ProcessGuard } from '../process/node-process.ts';
import type { ClientUnderTest } from './client-under-test.ts';
import { commandClient } from './command-client.ts';
import { driverClient } from './driver-client.ts';
import type { ClientUnderTestConfig } from '../contract/subject-config.ts';

export type { ClientUnderTest, SubjectWatchOptions } from './client-under-test.ts';
export type { ClientUnderTestConfig, ClientClaims, BackoffClaim } from '../contract/subject-config.ts';
export { ClientUnderTestError } from './subject-error.ts';

/**
 * The running form of a configured client; its processes log to `<dir>/client-<name>.log`.
 * @example
 * const ctl = openClientUnderTest(service.clientsUnderTest!.etcdctl!, { dir: run.dir, clock: run.clock, guard: run.guard });
 */
export function openClientUnderTest(config: ClientUnderTestConfig, options: { dir: string; clock: Clock; guard?: ProcessGuard }): ClientUnderTest {
  const logFile = path.join(options.dir, `client-${config.service}-${config.name}.log`);
  if (config.kind === 'command') return commandClient(config, { guard: options.guard, logFile });
  return driverClient(config, { guard: options.guard, logFile, now: () => options.clock.now() });
}
