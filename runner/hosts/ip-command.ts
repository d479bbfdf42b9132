// The lab's only way to change interfaces and namespaces: `ip` (iproute2) through execa, failing with the command.
import { execa } from 'execa';
import { HostsError } from './hosts-error.ts';

const TIMEOUT_MS = 10_000;

/** Runs `ip <args>`; throws a HostsError naming `host` and the exact command when it fails. */
export async function ip(host: string, args: readonly string[]): Promise<string> {
  const r = await execa('ip', args, { reject: false, timeout: TIMEOUT_MS, stdin: 'ignore' });
  if (r.exitCode !== 0) {
    const why = r.stderr.trim() || r.shortMessage || `exit code ${r.exitCode}`;
    const fix = /Operation not permitted|permission/i.test(why) ? 'making network namespaces needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN): run as root.' : /ENOENT/.test(why) ? 'install iproute2 (apt-get install iproute2).' : 'see the message; remove leftovers with "ip netns list" / "ip netns delete <name>".';
    throw new HostsError(host, 'network', `"ip ${args.join(' ')}" failed: ${why}`, fix);
  }
  return r.stdout;
}
