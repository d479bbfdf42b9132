// Port blocks and partitions change the host's firewall: only root with a working iptables may do that.
import { execaSync } from 'execa';

/** Whether this process may change the firewall, and if not, what to do about it. */
export interface FirewallCapability {
  usable: boolean;
  /** Worded as the fix, e.g. "run the tests as root". */
  reason?: string;
}

/**
 * Root and a working `iptables -S` (iptables-nft or legacy, whichever Debian's `iptables` points to).
 * Why a probe and not a guess: a container without NET_ADMIN is root yet cannot change the firewall.
 */
export function firewallCapability(probe: { uid?: number } = {}): FirewallCapability {
  const uid = probe.uid ?? process.getuid?.();
  if (uid !== 0) {
    return { usable: false, reason: `port blocks and partitions change the firewall, which needs root (this process runs as uid ${uid ?? 'unknown'}): run the tests as root, e.g. "sudo npx playwright test".` };
  }
  let r;
  try {
    r = execaSync('iptables', ['-w', '10', '-S'], { reject: false, timeout: 15_000, stdin: 'ignore' });
  } catch (e) {
    return { usable: false, reason: `"iptables -S" could not run (${(e as Error).message}): on Debian/Ubuntu run "apt-get install iptables".` };
  }
  if (r.exitCode === 0) return { usable: true };
  if (r.failed && r.exitCode === undefined) {
    return { usable: false, reason: `"iptables" was not found or could not start (${r.shortMessage}): on Debian/Ubuntu run "apt-get install iptables".` };
  }
  const stderr = String(r.stderr).trim().split('\n').slice(-2).join(' | ');
  return {
    usable: false,
    reason: `"iptables -S" failed with exit code ${r.exitCode} (${stderr || 'no output'}): give the process the NET_ADMIN capability (in a container: --cap-add=NET_ADMIN) and load netfilter, or switch backend with "update-alternatives --set iptables /usr/sbin/iptables-legacy".`,
  };
}
