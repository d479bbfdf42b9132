// How OpenSSH reaches one host: the options every ssh call to it shares (key, port, host-key checking).

/** Where and as whom a host is reached, as a hosts file states it. */
export interface SshTarget {
  /** The host's name in the hosts file (for errors and events). */
  name: string;
  address: string;
  port: number;
  user: string;
  /** The private key; the host must accept it (authorized_keys). */
  key: string;
  /** A known_hosts file listing the host's key: then host keys are checked strictly; without it, accepted on first use. */
  knownHosts?: string;
}

/** `-o` options shared by the master and every channel. Why BatchMode: a prompt would hang a test, never answer it. */
export function sshOptions(t: SshTarget): string[] {
  const hostKeys = t.knownHosts ? ['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${t.knownHosts}`] : ['-o', 'StrictHostKeyChecking=accept-new'];
  return [
    '-i', t.key,
    '-p', String(t.port),
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=10',
    // A host that stops answering ends the master within ~6 s, so its reaper runs and our calls fail instead of hanging.
    '-o', 'ServerAliveInterval=2',
    '-o', 'ServerAliveCountMax=3',
    '-o', 'LogLevel=ERROR',
    ...hostKeys,
  ];
}

/** `user@address`. */
export const sshDestination = (t: SshTarget): string => `${t.user}@${t.address}`;

/** Quotes one word for the remote POSIX shell. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
