// The kernel's own list of TCP sockets with their owning uid (/proc/net/tcp, tcp6), read without a process.
// Why: a partition must also cut connections that already exist, and only the kernel knows who owns which end.
import fs from 'node:fs';
import os from 'node:os';

/** One IPv4 loopback TCP socket (IPv4-mapped sockets from tcp6 included). */
export interface TcpSocket {
  localPort: number;
  remotePort: number;
  uid: number;
  /** The kernel's state name, e.g. ESTABLISHED. */
  state: string;
}

const STATES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING', '0C': 'NEW_SYN_RECV',
};

/** Connected loopback sockets (not listening, not TIME_WAIT: those have no owner and send nothing of their own). */
export function loopbackConnections(files = ['/proc/net/tcp', '/proc/net/tcp6']): TcpSocket[] {
  return files.flatMap((f) => parseProcNetTcp(readOrEmpty(f))).filter((s) => !['LISTEN', 'TIME_WAIT', 'CLOSE', 'NEW_SYN_RECV'].includes(s.state));
}

/** Parses the text of /proc/net/tcp or tcp6, keeping sockets whose both ends are IPv4 loopback. */
export function parseProcNetTcp(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const local = endpoint(f[1]!);
    const remote = endpoint(f[2]!);
    if (!local || !remote) continue;
    out.push({ localPort: local.port, remotePort: remote.port, uid: Number(f[7]), state: STATES[f[3]!] ?? f[3]! });
  }
  return out;
}

/** "0100007F:1F90" (or the 32-digit IPv4-mapped form) → port, when the address is in 127.0.0.0/8. */
function endpoint(hexAddr: string): { port: number } | undefined {
  const [addr, port] = hexAddr.split(':');
  if (!addr || !port) return undefined;
  // Each 32-bit word is printed in host byte order: on little-endian hosts 127.x.y.z reads "...7F".
  const le = os.endianness() === 'LE';
  const a = addr.toUpperCase();
  const v4 = a.length === 8 ? a : a.length === 32 && a.startsWith(le ? '0000000000000000FFFF0000' : '00000000000000000000FFFF') ? a.slice(24) : undefined;
  if (!v4 || !(le ? v4.endsWith('7F') : v4.startsWith('7F'))) return undefined;
  return { port: parseInt(port, 16) };
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
