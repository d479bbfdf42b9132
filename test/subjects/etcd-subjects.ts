// etcd's shipped clients under test (services/etcd/etcd.service.json, "clients"), opened outside a run and adjusted for a
// test: extra etcdctl flags (shorter timeouts), a log file, a guard.
import type { Clock } from '../../runner/time/clock.ts';
import type { ProcessGuard } from '../../runner/process/node-process.ts';
import { commandClient } from '../../runner/subjects/command-client.ts';
import { driverClient } from '../../runner/subjects/driver-client.ts';
import type { ClientUnderTest } from '../../runner/subjects/client-under-test.ts';
import type { CommandClientConfig, ClientUnderTestConfig, DriverClientConfig } from '../../runner/contract/subject-config.ts';
import { etcdService } from '../../services/etcd/definition.ts';

/** etcdctl as etcd ships it, with `flags` before every command's own arguments (e.g. "--command-timeout=1s"). */
export function etcdctl(options: { flags?: string[]; timeoutMs?: number; guard?: ProcessGuard; logFile?: string } = {}): ClientUnderTest {
  const c = etcdService(process.env).clientsUnderTest!.etcdctl as ClientUnderTestConfig & CommandClientConfig;
  const flags = options.flags ?? [];
  const withFlags = (o?: { args: string[] }) => (o ? { ...o, args: [...flags, ...o.args] } : undefined);
  const config = { ...c, put: withFlags(c.put), get: withFlags(c.get) as typeof c.get, delete: withFlags(c.delete), watch: c.watch && { ...c.watch, args: [...flags, ...c.watch.args] }, timeoutMs: options.timeoutMs ?? c.timeoutMs };
  return commandClient(config, { guard: options.guard, logFile: options.logFile });
}

/** The etcd3 driver as etcd ships it; `env` reaches the driver (e.g. ETCD3_CALL_TIMEOUT_MS). */
export function etcd3(options: { clock: Clock; env?: Record<string, string>; guard?: ProcessGuard; logFile?: string; timeoutMs?: number }): ClientUnderTest {
  const c = etcdService(process.env).clientsUnderTest!.etcd3 as ClientUnderTestConfig & DriverClientConfig;
  return driverClient({ ...c, env: { ...c.env, ...options.env }, timeoutMs: options.timeoutMs ?? c.timeoutMs }, { guard: options.guard, logFile: options.logFile, now: () => options.clock.now() });
}
