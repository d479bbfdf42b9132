// One lab host's sshd_config: its own address, host key, pid file and log, and only the run's key accepted.

/** What one lab sshd needs to know. */
export interface SshdConfigInput {
  address: string;
  port: number;
  hostKey: string;
  authorizedKeys: string;
  pidFile: string;
}

/**
 * The config text. Why each line: nothing of Debian's /etc/ssh/sshd_config applies (no PAM, no passwords,
 * no agent or X11 forwarding); the run's dir is root's own 0700 dir under /tmp, whose sticky /tmp parent
 * StrictModes would reject; MaxSessions/MaxStartups are raised for multiplexed channels and parallel starts.
 */
export function sshdConfig(c: SshdConfigInput): string {
  return [
    `ListenAddress ${c.address}:${c.port}`,
    `HostKey ${c.hostKey}`,
    `AuthorizedKeysFile ${c.authorizedKeys}`,
    `PidFile ${c.pidFile}`,
    'PermitRootLogin prohibit-password',
    'AuthenticationMethods publickey',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    'X11Forwarding no',
    'AllowAgentForwarding no',
    'PermitUserEnvironment no',
    'MaxSessions 64',
    'MaxStartups 64:30:128',
    'LogLevel INFO',
    '',
  ].join('\n');
}
