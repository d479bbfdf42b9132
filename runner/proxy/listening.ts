// Which local ports something listens on, read from the kernel's socket list without connecting.
// Why: a probe connection would land in a member's accept queue; the gate must not add traffic to learn this.
import fs from 'node:fs';

/** Every local port with a TCP socket in LISTEN state (any address: the run allocated the ports it asks about). */
export function listeningPorts(files = ['/proc/net/tcp', '/proc/net/tcp6']): Set<number> {
  const ports = new Set<number>();
  for (const text of procNetTcpTexts(files)) {
    // "sl local_address rem_address st ...": state 0A is LISTEN.
    for (const line of text.split('\n')) {
      const f = line.trim().split(/\s+/, 4);
      if (f[3] === '0A') ports.add(parseInt(f[1]!.slice(f[1]!.lastIndexOf(':') + 1), 16));
    }
  }
  return ports;
}

/** The text of each of the kernel's socket lists that can be read (a host without IPv6 has no tcp6). */
export function procNetTcpTexts(files: string[]): string[] {
  return files.flatMap((file) => {
    try {
      return [fs.readFileSync(file, 'latin1')];
    } catch {
      return [];
    }
  });
}

/** True when something listens on local `port`. */
export function isListening(port: number, files?: string[]): boolean {
  return listeningPorts(files).has(port);
}
