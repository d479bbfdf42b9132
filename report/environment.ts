// The Allure report's environment section: versions and capabilities of this machine.
import os from 'node:os';
import { commandOutput } from '../runner/command.ts';
import type { ServiceDefinition } from '../runner/contract/service.ts';

/** Facts about the machine and the services under test, as shown by Allure. */
export function environmentInfo(services: ServiceDefinition[]): Record<string, string> {
  const info: Record<string, string> = {
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpus: String(os.cpus().length),
    'iptables usable': iptablesUsable(),
  };
  for (const s of services) {
    const why = s.unavailable();
    if (why) info[s.name] = why;
    else Object.assign(info, s.environment?.() ?? {});
  }
  return info;
}

function iptablesUsable(): string {
  if (process.getuid?.() !== 0) return 'no (not root)';
  return commandOutput('iptables', ['-S', 'INPUT']) === undefined ? 'no (iptables missing or not permitted)' : 'yes';
}
