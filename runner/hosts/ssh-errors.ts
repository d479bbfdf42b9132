// What OpenSSH's own words mean for a hosts file: which field is wrong and how to fix it.
import { HostsError } from './hosts-error.ts';
import type { SshTarget } from './ssh-target.ts';

/** Turns ssh's stderr (exit 255) into a HostsError naming the field: address, key, knownHosts or user. */
export function sshConnectError(t: SshTarget, stderr: string, cause?: unknown): HostsError {
  const said = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ') || 'no message';
  const at = `${t.user}@${t.address}:${t.port}`;
  if (/Permission denied/i.test(said)) return new HostsError(t.name, 'key', `${at} refused the key "${t.key}" (ssh: ${said}).`, `add "${t.key}.pub" to ${t.user}'s authorized_keys on the host, or set "key" to a key the host accepts.`, { cause });
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(said)) return new HostsError(t.name, 'knownHosts', `the host key of ${at} is not the one in "${t.knownHosts}" (ssh: ${said}).`, `put the host's key in that file (ssh-keyscan -p ${t.port} ${t.address}), or remove "knownHosts" to accept it on first use.`, { cause });
  if (/Connection refused|timed out|No route to host|Network is unreachable|Could not resolve/i.test(said)) return new HostsError(t.name, 'address', `${at} cannot be reached (ssh: ${said}).`, `check "address" and "port", and that sshd runs there and this machine can route to it.`, { cause });
  if (/Invalid user|no such user/i.test(said)) return new HostsError(t.name, 'user', `${at}: ${said}.`, 'set "user" to an account that exists on the host.', { cause });
  return new HostsError(t.name, 'address', `ssh to ${at} failed: ${said}.`, 'run the same ssh by hand with -v to see why.', { cause });
}
