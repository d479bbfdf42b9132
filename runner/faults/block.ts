// The seed's port block, `iptables -A INPUT -p tcp --dport <port> -j DROP` on all of a node's ports in the
// run's own chain, or the fault proxy's blackhole on its client link where iptables is not usable.
import type { BlockBackend } from '../../dsl/plan.ts';
import { firewallCapability } from '../firewall/index.ts';
import { defineFault, type Unavailable } from './fault.ts';

/** The backend block({ via }) resolves to on this machine, or why the asked one cannot be used. */
export function blockBackend(via: BlockBackend): { backend: 'iptables' | 'proxy' } | { unavailable: Unavailable } {
  const cap = firewallCapability();
  if (via === 'proxy') return { backend: 'proxy' };
  if (cap.usable) return { backend: 'iptables' };
  if (via === 'iptables') return { unavailable: { reason: `needs the firewall for block({ via: 'iptables' }): ${cap.reason}.`, fix: 'run as root with iptables installed, or write block() to fall back to the fault proxy.' } };
  return { backend: 'proxy' };
}

function resolved(via: BlockBackend): 'iptables' | 'proxy' {
  const r = blockBackend(via);
  // preflight() refuses the plan before any process starts when the backend is unavailable.
  return 'backend' in r ? r.backend : 'proxy';
}

/** Inbound traffic to the node's ports dropped (its own outgoing connections still work); unblock() or restore() lifts it. */
export const block = defineFault<{ via: BlockBackend }>({
  name: 'block',
  holds: true,
  needs: (p) => {
    const r = blockBackend(p.via);
    return 'unavailable' in r ? { unavailable: r.unavailable } : { proxyClientLinks: r.backend === 'proxy' };
  },
  title: (t, p, host) =>
    resolved(p.via) === 'iptables'
      ? `block ${t.label} via iptables: -A INPUT -p tcp --dport ${host.node(t.node!).ports.join(',')} -j DROP`
      : `block ${t.label} via the fault proxy: client link blackholed (peer links untouched)`,
  inject: async (t, p, host) => {
    const node = t.node!;
    const backend = resolved(p.via);
    await host.network.blockInbound(node, host.node(node).ports, backend);
    return {
      nodes: [node],
      detail: `block ${node} (${backend === 'iptables' ? 'iptables' : 'proxy blackhole'})`,
      backend,
      lane: 'blocked',
      holds: { healedBy: ['unblock', 'restore'], heal: () => host.network.unblockInbound(node, backend) },
    };
  },
});
