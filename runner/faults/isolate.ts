// isolate(): a true partition of one node from every other node of its cluster, both directions, by uid.
import { defineFault } from './fault.ts';
import { ownerMatchNeeds } from './firewall-needs.ts';

/** The node on one side, its peers on the other; cluster.heal() ends it. */
export const isolate = defineFault<{ scenario: string }>({
  name: 'isolate',
  holds: true,
  needs: (p) => ownerMatchNeeds('needs a true partition', `mark this service SKIP for scenario "${p.scenario}"`),
  title: (t, _p, host) => `isolate ${t.label} from ${host.peersOf(t.node!).join(', ')} (both directions, ${host.partitionRule?.(t.node!) ?? 'iptables owner match'})`,
  inject: async (t, _p, host) => {
    const groups = [[t.node!], host.peersOf(t.node!)];
    await host.network.partition(groups);
    return { nodes: [t.node!], detail: `isolate ${groups.map((g) => g.join(', ')).join(' | ')}`, lane: 'partitioned', backend: 'iptables', holds: { healedBy: ['heal'], heal: () => host.network.healPartition() } };
  },
});
