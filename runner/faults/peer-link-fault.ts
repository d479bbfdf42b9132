// A fault on one or several directed peer links at once (peerLink(), peerLinks().incoming()…); link.heal ends it.
// Why one fault for a group: "every link into the leader" starts and ends as one span on the timeline.
import type { LinkFault } from '../../dsl/plan.ts';
import { defineFault } from './fault.ts';

/** The plan's fault, set on each directed link's gate-fed proxy ("refuse" is a one-way cut). */
export const peerLinkFault = defineFault<{ fault: LinkFault; title: string }>({
  name: 'peer-link',
  holds: true,
  inject: async (t, p, host) => {
    const links = t.links ?? (t.link ? [t.link] : []);
    for (const { from, to } of links) await host.network.linkFault(from, to, p.fault);
    return {
      nodes: [...new Set(links.flatMap((l) => [l.from, l.to]))],
      detail: p.title,
      backend: 'peer gate',
      link: links.map((l) => `${l.from}→${l.to}`).join(', '),
      holds: { healedBy: ['link.heal'], heal: async () => { for (const { from, to } of links) await host.network.linkHeal(from, to); } },
    };
  },
});
