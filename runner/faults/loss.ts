// node.loss('30%'): random packet loss on a node's traffic, both directions, by its uid, in the run's own chain.
import { defineFault } from './fault.ts';
import { FaultTargetError } from './fault-errors.ts';
import { ownerMatchNeeds } from './firewall-needs.ts';

/**
 * iptables' `statistic --mode random --probability p` in the run's OUTPUT-path chain (every loopback packet
 * takes OUTPUT): what the node sends (owner match on its uid) and what is sent to its listening ports. Replies
 * to the node's own outgoing connections are not dropped, so loss on a link is 1-(1-p)² at most. restore() ends it.
 */
export const loss = defineFault<{ probability: number; percent: string }>({
  name: 'loss',
  holds: true,
  needs: () => ownerMatchNeeds("drops packets by the node's uid", 'leave loss() out of this scenario (or mark the service SKIP)'),
  title: (t, p, host) => `drop ${p.percent} of ${t.label}'s packets, both directions (iptables statistic --mode random --probability ${p.probability}, uid ${host.node(t.node!).uid ?? '-'})`,
  inject: async (t, p, host) => {
    const node = t.node!;
    const { uid, ports } = host.node(node);
    if (uid === undefined) throw new FaultTargetError(`loss() matches ${node}'s packets by its uid, but ${node} does not run under its own uid (dependent servers do not).`, { fault: 'loss', node });
    const drop = ['-m', 'statistic', '--mode', 'random', '--probability', String(p.probability), '-j', 'DROP'];
    const rules = [['-m', 'owner', '--uid-owner', String(uid), ...drop], ...ports.map((port) => ['-p', 'tcp', '--dport', String(port), ...drop])];
    const key = `loss:${node}`;
    await host.network.addRules(key, rules);
    return { nodes: [node], detail: `loss ${p.percent} ${node}`, backend: 'iptables', lane: 'degraded', holds: { healedBy: ['restore'], heal: () => host.network.removeRules(key) } };
  },
});
