// The only way the run changes the firewall: `iptables` through execa, with the xtables lock awaited.
import { execa } from 'execa';
import { FirewallError } from './firewall-error.ts';

/** Seconds to wait for the xtables lock held by another iptables caller (legacy backend; nft ignores it). */
const LOCK_WAIT_S = 10;
const TIMEOUT_MS = 30_000;

/** Runs `iptables -w 10 <args>` (filter table) and returns its stdout; fails with the exact command and stderr. */
export async function iptables(args: readonly string[]): Promise<string> {
  const argv = ['-w', String(LOCK_WAIT_S), ...args];
  const r = await execa('iptables', argv, { reject: false, timeout: TIMEOUT_MS, stdin: 'ignore' });
  if (r.exitCode !== 0) throw commandError('iptables', argv, r);
  return r.stdout;
}

/**
 * Applies `-A/-D/-I/-F/-X/:chain` lines to the filter table in one transaction (`iptables-restore --noflush`).
 * Why: a partition's rules for both directions must start at the same instant, and a failed batch leaves nothing half-done.
 */
export async function iptablesRestore(lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  const argv = ['-w', String(LOCK_WAIT_S), '--noflush'];
  const input = ['*filter', ...lines, 'COMMIT', ''].join('\n');
  const r = await execa('iptables-restore', argv, { reject: false, timeout: TIMEOUT_MS, input });
  if (r.exitCode !== 0) throw commandError('iptables-restore', argv, r, lines);
}

/** Quotes an argument the way `iptables -S` prints it, so a command in an error can be pasted into a shell. */
export function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

function commandError(
  bin: string,
  argv: string[],
  r: { exitCode?: number; stderr: string; timedOut: boolean; shortMessage?: string },
  lines?: readonly string[],
): FirewallError {
  const command = [bin, ...argv].map(quoteArg).join(' ');
  const stderr = r.stderr.trim();
  const how = r.timedOut ? `did not finish within ${TIMEOUT_MS} ms` : r.exitCode === undefined ? `could not run (${r.shortMessage})` : `failed with exit code ${r.exitCode}`;
  const fix = /permission denied|you must be root/i.test(stderr)
    ? ' Changing the firewall needs root: run the tests as root.'
    : /not found|ENOENT/i.test(`${r.shortMessage ?? ''} ${stderr}`)
      ? ` "${bin}" is missing: on Debian/Ubuntu run "apt-get install iptables".`
      : '';
  const batch = lines ? `\n  input lines:\n${lines.map((l) => `    ${l}`).join('\n')}` : '';
  return new FirewallError(`"${command}" ${how}${stderr ? `: ${stderr}` : '.'}${fix}${batch}`, command, stderr);
}
