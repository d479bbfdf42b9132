// node.loss('30%'): random packet loss on a node's traffic, both directions, by its uid, in the run's own chain;
// restore() ends it and records what it really did (packets dropped, the node's TCP retransmissions).
import { retransmitsBetween } from '../firewall/index.ts';
import { defineFault } from './fault.ts';
import { FaultTargetError } from './fault-errors.ts';
import type { LossEffect } from './fault-records.ts';
import { ownerMatchNeeds } from './firewall-needs.ts';

/**
 * iptables' `statistic --mode random --probability p` in the run's OUTPUT-path chain (every loopback packet
 * takes OUTPUT): what the node sends (owner match on its uid) and what is sent to its listening ports. Replies
 * to the node's own outgoing connections are not dropped, so loss on a link is 1-(1-p)² at most. Before each
 * dropping rule a rule without a target counts the packets that reach it, so the effect reads "n of m dropped".
 * restore() ends it.
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
    const matches = [['-m', 'owner', '--uid-owner', String(uid)], ...ports.map((port) => ['-p', 'tcp', '--dport', String(port)])];
    // Per match: a counting rule, then the dropping rule.
    const rules = matches.flatMap((m) => [m, [...m, ...drop]]);
    const key = `loss:${node}`;
    // The members whose TCP retransmits through the loss: the node and its peers (each under its own uid).
    const members = [node, ...host.peersOf(node)].flatMap((n) => {
      const u = host.node(n).uid;
      return u === undefined ? [] : [{ node: n, uid: u }];
    });
    const read = () => Promise.all(members.map((m) => host.network.tcpRetransmits(m.uid)));
    const before = await read();
    await host.network.addRules(key, rules);
    const heal = async (): Promise<LossEffect> => {
      const counters = await host.network.ruleCounters(key);
      const after = await read();
      await host.network.removeRules(key);
      const pair = (i: number) => ({ packets: counters[2 * i]!.packets, dropped: counters[2 * i + 1]!.packets });
      const received = ports.map((_, i) => pair(i + 1)).reduce((a, b) => ({ packets: a.packets + b.packets, dropped: a.dropped + b.dropped }), { packets: 0, dropped: 0 });
      return { kind: 'loss', node, percent: p.percent, sent: pair(0), received, retransmitted: members.map((m, i) => ({ node: m.node, ...retransmitsBetween(before[i]!, after[i]!) })) };
    };
    return { nodes: [node], detail: `loss ${p.percent} ${node}`, backend: 'iptables', lane: 'degraded', holds: { healedBy: ['restore'], heal } };
  },
});

/** One line for the step, the events and the gap matrix, e.g. "30% loss on node-2: 412 of 1380 packets dropped …". */
export function describeLoss(e: LossEffect): string {
  const kib = (b: number) => (b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);
  const each = e.retransmitted.map((r) => `${r.segments} on ${r.node}'s (${kib(r.bytes)}, ${r.sockets} sockets)`).join(', ');
  return `${e.percent} loss on ${e.node}: ${e.sent.dropped} of ${e.sent.packets} packets it sent and ${e.received.dropped} of ${e.received.packets} sent to it dropped (iptables' counters); TCP retransmitted ${e.retransmitted.reduce((n, r) => n + r.segments, 0)} segments: ${each} (kernel tcp_info)`;
}

