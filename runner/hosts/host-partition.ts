// A partition between nodes on SSH hosts: the seed's literal rule, iptables -A INPUT -s <node> -j DROP, on the
// receiving host for every ordered pair across sides — so both directions are cut, with real source addresses.
import { HostsError } from './hosts-error.ts';
import type { HostSession } from './host-session.ts';

/** One node of a side, with its host. */
export interface HostedNode {
  node: string;
  host: HostSession;
}

/** Drops, on each node's host, everything from every node on another side; returns the rules as applied. */
export async function partitionHosts(groups: HostedNode[][], touched: Set<HostSession>): Promise<string[]> {
  const rules: Promise<string>[] = [];
  groups.forEach((side, i) => groups.forEach((other, j) => {
    if (i === j) return;
    for (const to of side) for (const from of other) {
      if (to.host === from.host) throw new HostsError(to.host.name, 'hosts', `${to.node} and ${from.node} run on the same host, so no address rule can cut them apart.`, 'list at least as many hosts as the cluster has nodes.');
      touched.add(to.host);
      rules.push(to.host.dropFrom(from.host.config.peerAddress).then((rule) => `${to.host.name} (${to.node}): ${rule} (${from.node})`));
    }
  }));
  return Promise.all(rules);
}

/** Flushes the run's chain on every host a partition touched. */
export async function healHosts(touched: Set<HostSession>): Promise<void> {
  await Promise.all([...touched].map((h) => h.heal()));
  touched.clear();
}
