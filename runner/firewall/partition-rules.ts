// The rules of a true partition: for every ordered pair of nodes on different sides, the sender's uid may not
// reach the receiver's ports. Owner matching works only on the OUTPUT path, which every loopback packet takes.
import { FirewallError } from './firewall-error.ts';
import type { TcpSocket } from './tcp-sockets.ts';

/** One node as the firewall sees it: the uid its process runs under and the ports it listens on. */
export interface PartitionNode {
  uid: number;
  ports: number[];
}

/** Sides of a partition; nodes in one group still reach each other, nodes in different groups do not. */
export type PartitionGroups = PartitionNode[][];

/** Throws (rule + fix) unless the groups can be enforced by uid: two sides or more, distinct non-root uids, valid ports. */
export function validatePartition(groups: PartitionGroups): void {
  const sides = groups.filter((g) => g.length > 0);
  if (sides.length < 2) {
    throw new FirewallError(`partition() needs at least two non-empty groups, got ${sides.length}: pass the sides, e.g. [[node1], [node2, node3]].`);
  }
  const uids = new Set<number>();
  const ports = new Set<number>();
  for (const node of sides.flat()) {
    if (!Number.isInteger(node.uid) || node.uid <= 0) {
      throw new FirewallError(
        `partition() tells nodes apart by the uid their process runs under, but got uid ${node.uid}${node.uid === 0 ? ' (root, which is also the harness and its clients)' : ''}: ` +
          `run each node under its own uid (ensureNodeUser(index)) and pass that uid.`,
      );
    }
    if (uids.has(node.uid)) throw new FirewallError(`partition() got uid ${node.uid} for two nodes, so their packets cannot be told apart: run each node under its own uid (ensureNodeUser(index)).`);
    uids.add(node.uid);
    for (const p of node.ports) {
      requirePort('partition()', p);
      if (ports.has(p)) throw new FirewallError(`partition() got port ${p} for two nodes: each port belongs to one node; pass every node's own listening ports.`);
      ports.add(p);
    }
  }
}

/** Throws unless `port` is an integer from 1 to 65535. */
export function requirePort(verb: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new FirewallError(`${verb} needs TCP ports as integers from 1 to 65535, got ${JSON.stringify(port)}: pass the node's listening ports, e.g. [2379, 2380].`);
  }
}

/** Every (sender, receiver) pair of nodes on different sides. */
export function crossPairs(groups: PartitionGroups): [PartitionNode, PartitionNode][] {
  const pairs: [PartitionNode, PartitionNode][] = [];
  groups.forEach((g, i) => groups.forEach((h, j) => {
    if (i !== j) for (const a of g) for (const b of h) pairs.push([a, b]);
  }));
  return pairs;
}

/**
 * Rule arguments (after `-A <chain>`) that stop every packet a sender's uid sends to a receiver's ports.
 * DROP matches every packet, not only SYNs: new connections never complete and established ones stop carrying
 * data and ACKs in the sender-to-listener direction.
 */
export function crossRules(groups: PartitionGroups): string[][] {
  return crossPairs(groups).flatMap(([a, b]) => b.ports.map((p) => ['-p', 'tcp', '-m', 'owner', '--uid-owner', String(a.uid), '--dport', String(p), '-j', 'DROP']));
}

/**
 * Rules for connections that exist already: a listener's own writes (sport = its port, dport = the peer's ephemeral
 * port) match no rule above, so a server pushing to a client on the other side would still get through. Measured:
 * without these rules a push crosses the partition while the client's ACKs are dropped.
 */
export function establishedRules(groups: PartitionGroups, sockets: TcpSocket[]): string[][] {
  const rules = new Map<string, string[]>();
  for (const [client, server] of crossPairs(groups)) {
    for (const s of sockets) {
      if (s.uid !== client.uid || !server.ports.includes(s.remotePort) || client.ports.includes(s.localPort)) continue;
      const rule = ['-p', 'tcp', '-m', 'owner', '--uid-owner', String(server.uid), '--sport', String(s.remotePort), '--dport', String(s.localPort), '-j', 'DROP'];
      rules.set(rule.join(' '), rule);
    }
  }
  return [...rules.values()];
}
