// A Toxiproxy-style fault on one proxied link (refuse, reset, blackhole, latency, bandwidth); heal() ends it.
import type { LinkFault } from '../../dsl/plan.ts';
import { defineFault } from './fault.ts';

/** The fault the plan recorded, set on the link's proxy. */
export const linkFault = defineFault<{ fault: LinkFault; title: string }>({
  name: 'link',
  holds: true,
  inject: async (t, p, host) => {
    const { from, to } = t.link!;
    await host.network.linkFault(from, to, p.fault);
    return { nodes: [to], detail: p.title, backend: 'proxy', link: `${from}→${to}`, holds: { healedBy: ['link.heal'], heal: () => host.network.linkHeal(from, to) } };
  },
});
