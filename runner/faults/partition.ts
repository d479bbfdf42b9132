// cluster.partition([1], [2, 3]): every pair of nodes on different sides cut, both directions, by uid.
import { defineFault } from './fault.ts';
import { ownerMatchNeeds } from './firewall-needs.ts';

/** The groups as the step resolved them; cluster.heal() ends it. */
export const partition = defineFault<{ scenario: string }>({
  name: 'partition',
  holds: true,
  needs: (p) => ownerMatchNeeds('needs a true partition', `mark this service SKIP for scenario "${p.scenario}"`),
  inject: async (t, _p, host) => {
    const groups = t.groups!;
    await host.network.partition(groups);
    return { nodes: groups.flat(), detail: `partition ${groups.map((g) => g.join(', ')).join(' | ')}`, lane: 'partitioned', backend: 'iptables', holds: { healedBy: ['heal'], heal: () => host.network.healPartition() } };
  },
});
