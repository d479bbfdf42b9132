// Who dialled: the uid owning the other end of an accepted loopback connection, read from the kernel.
// Why: etcd advertises one peer URL per member and dials from 127.0.0.1, so only the owner tells members apart.
import type { Socket } from 'node:net';
import { parseProcNetTcp } from '../firewall/tcp-sockets.ts';
import { procNetTcpTexts } from './listening.ts';

/**
 * The uid of the process whose socket dialled `accepted`, or undefined when it is gone or not on loopback.
 * Runs on every accept, synchronously: only lines holding both ports (as the kernel prints them) are parsed.
 */
export function dialerUid(accepted: Pick<Socket, 'remotePort' | 'localPort'>, files = ['/proc/net/tcp', '/proc/net/tcp6']): number | undefined {
  const { remotePort, localPort } = accepted;
  if (remotePort === undefined || localPort === undefined) return undefined;
  const hex = (p: number) => `:${p.toString(16).toUpperCase().padStart(4, '0')} `;
  const local = hex(remotePort);
  const remote = hex(localPort);
  for (const text of procNetTcpTexts(files)) {
    const lines = text.split('\n').filter((l) => l.includes(local) && l.includes(remote));
    const hit = parseProcNetTcp(`header\n${lines.join('\n')}`).find((s) => s.localPort === remotePort && s.remotePort === localPort);
    if (hit) return hit.uid;
  }
  return undefined;
}
