// A node's own TCP retransmissions, from the kernel's tcp_info of the sockets its uid owns (`ss -tie`).
// Why: under packet loss the system's TCP retries for it; these counters are the node's, never Faultline's client's.
import { execa } from 'execa';
import { FirewallError } from './firewall-error.ts';

/** One socket's retransmissions since it opened: segments (tcp_info's total retrans) and bytes. */
export interface SocketRetransmits {
  /** "local peer inode": the same socket in two readings. */
  socket: string;
  segments: number;
  bytes: number;
}

/** Retransmissions between two readings, over the sockets open at the second (a socket closed meanwhile is not counted). */
export interface RetransmitDelta {
  segments: number;
  bytes: number;
  /** Sockets of the uid open at the second reading. */
  sockets: number;
}

/** The TCP sockets owned by `uid` with their retransmission counters, read now. */
export async function tcpRetransmits(uid: number): Promise<SocketRetransmits[]> {
  const r = await execa('ss', ['-tieOH'], { reject: false, timeout: 10_000, stdin: 'ignore' });
  if (r.exitCode !== 0) {
    throw new FirewallError(`"ss -tieOH" ${r.exitCode === undefined ? `could not run (${r.shortMessage})` : `failed with exit code ${r.exitCode}: ${String(r.stderr).trim()}`}.\n  Fix: install iproute2 (Debian/Ubuntu: apt-get install iproute2); a node's TCP retransmissions are read with it.`, 'ss -tieOH', String(r.stderr));
  }
  return parseSs(String(r.stdout), uid);
}

/** Parses `ss -tieOH` (one socket a line), keeping the sockets of `uid`. */
export function parseSs(text: string, uid: number): SocketRetransmits[] {
  const out: SocketRetransmits[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const field = (name: string) => f.find((x) => x.startsWith(`${name}:`))?.slice(name.length + 1);
    if (field('uid') !== String(uid)) continue;
    // retrans:<unrecovered>/<total>, printed only once the socket retransmitted.
    const total = Number(field('retrans')?.split('/')[1] ?? 0);
    out.push({ socket: `${f[3]} ${f[4]} ${field('ino') ?? ''}`, segments: total, bytes: Number(field('bytes_retrans') ?? 0) });
  }
  return out;
}

/** What the sockets open at `after` retransmitted since `before` (a socket new since then: all it retransmitted). */
export function retransmitsBetween(before: readonly SocketRetransmits[], after: readonly SocketRetransmits[]): RetransmitDelta {
  const earlier = new Map(before.map((s) => [s.socket, s]));
  let segments = 0;
  let bytes = 0;
  for (const s of after) {
    const b = earlier.get(s.socket);
    segments += s.segments - (b?.segments ?? 0);
    bytes += s.bytes - (b?.bytes ?? 0);
  }
  return { segments, bytes, sockets: after.length };
}
