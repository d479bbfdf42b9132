// Who dialled: the uid owning the other end of an accepted loopback connection, read from the kernel.
// Why: etcd advertises one peer URL per member and dials from 127.0.0.1, so only the owner tells members apart.
import type { Socket } from 'node:net';
import { loopbackConnections } from '../firewall/tcp-sockets.ts';

/** The uid of the process whose socket dialled `accepted`, or undefined when it is gone or not on loopback. */
export function dialerUid(accepted: Pick<Socket, 'remotePort' | 'localPort'>, files?: string[]): number | undefined {
  const { remotePort, localPort } = accepted;
  if (remotePort === undefined || localPort === undefined) return undefined;
  return loopbackConnections(files).find((s) => s.localPort === remotePort && s.remotePort === localPort)?.uid;
}
