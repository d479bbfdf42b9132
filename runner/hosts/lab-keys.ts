// The lab's keys: one client key pair for the run (the only key any lab sshd accepts) and a host key per host,
// listed in a known_hosts file so clients check hosts strictly instead of trusting the first answer.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { HostsError } from './hosts-error.ts';

/** Makes an ed25519 key pair without passphrase at `file` (and `file`.pub); returns the public key line. */
export async function makeKeyPair(file: string, comment: string): Promise<string> {
  const r = await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) {
    throw new HostsError('lab', 'key', `ssh-keygen could not make ${file}: ${r.stderr.trim() || r.shortMessage}`, 'install openssh-client (apt-get install openssh-client).');
  }
  return fs.readFileSync(`${file}.pub`, 'utf8').trim();
}

/** Writes `known_hosts` naming each address with its host's public key. */
export function writeKnownHosts(file: string, hosts: { address: string; port: number; hostKeyPub: string }[]): void {
  const lines = hosts.map((h) => `${h.port === 22 ? h.address : `[${h.address}]:${h.port}`} ${h.hostKeyPub.split(' ').slice(0, 2).join(' ')}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** The file names of one host's own sshd inside the lab dir. */
export function hostFiles(dir: string, host: string): { hostKey: string; config: string; pidFile: string; log: string } {
  const base = path.join(dir, host);
  return { hostKey: `${base}.host_key`, config: `${base}.sshd_config`, pidFile: `${base}.sshd.pid`, log: `${base}.sshd.log` };
}
