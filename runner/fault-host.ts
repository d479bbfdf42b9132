// The run as faults see it: node processes, node facts and network mechanisms, nothing else of the run.
import { EnvironmentError } from './process/process-errors.ts';
import type { FaultHost } from './faults/index.ts';
import type { RunNetwork } from './network.ts';
import type { EventLog } from './records/events.ts';
import type { StartedCluster } from './cluster.ts';
import type { HostSession } from './hosts/host-session.ts';
import { healHosts, partitionHosts } from './hosts/host-partition.ts';

function hostOf(cluster: StartedCluster, name: string): HostSession {
  const h = cluster.hostOfNode(name);
  if (!h) throw new EnvironmentError(`Cannot partition ${name} from nodes on SSH hosts: it runs on this machine. Put every node of the cluster on hosts.`);
  return h;
}

/** The parts of a run a fault host is made from. */
export interface FaultHostSource {
  clusterOfNode(name: string): StartedCluster;
  readonly network: RunNetwork;
  /** Where a partition on SSH hosts records its rules (the local firewall records its own). */
  readonly events?: EventLog;
}

/** Adapts a run to the narrow FaultHost interface of runner/faults/. */
export function faultHost(run: FaultHostSource): FaultHost {
  const c = (name: string) => run.clusterOfNode(name);
  const onHosts = (names: string[]) => names.some((n) => c(n).hostOfNode(n));
  const cutHosts = new Set<HostSession>();
  return {
    partitionRule: (name) => (c(name).hostOfNode(name) ? `the seed's iptables -A INPUT -s <node> -j DROP on each side, in the run's chain on every host` : undefined),
    node: (name) => {
      const spec = c(name).nodeSpec(name);
      return { ports: Object.values(spec.ports), ...(spec.user ? { uid: spec.user.uid } : {}) };
    },
    peersOf: (name) => c(name).names.filter((n) => n !== name),
    process: {
      kill: (n) => c(n).kill(n),
      term: (n) => c(n).term(n),
      pause: (n) => c(n).pause(n),
      resume: (n) => c(n).resume(n),
      start: (n) => c(n).startNode(n),
      restart: (n) => c(n).restart(n),
    },
    network: {
      // On an SSH host, the seed's --dport rule goes into the run's chain on the node's own host.
      blockInbound: async (node, ports, backend) => {
        const h = c(node).hostOfNode(node);
        if (!h || backend !== 'iptables') return run.network.blockInbound(node, ports, backend);
        const rules = await h.addRules(`block ${node}`, ports.map((p) => ['-p', 'tcp', '--dport', String(p), '-j', 'DROP']));
        run.events?.record('firewall', { action: 'block', chain: h.name, detail: rules.join('; '), rules });
      },
      unblockInbound: async (node, backend) => {
        const h = c(node).hostOfNode(node);
        if (!h || backend !== 'iptables') return run.network.unblockInbound(node, backend);
        await h.removeRules(`block ${node}`);
        run.events?.record('firewall', { action: 'unblock', chain: h.name, detail: `block of ${node} removed on ${h.name}` });
      },
      partition: async (groups) => {
        if (onHosts(groups.flat())) {
          const rules = await partitionHosts(groups.map((g) => g.map((n) => ({ node: n, host: hostOf(c(n), n) }))), cutHosts);
          run.events?.record('firewall', { action: 'partition', chain: 'per host', detail: rules.join('; '), rules });
          return;
        }
        return run.network.partition(
          groups.map((g) =>
            g.map((name) => {
              const spec = c(name).nodeSpec(name);
              if (!spec.user) throw new EnvironmentError(`Cannot partition ${name}: it does not run under its own uid (the plan starts nodes under per-node uids when it partitions).`);
              return { uid: spec.user.uid, ports: Object.values(spec.ports) };
            }),
          ),
        );
      },
      healPartition: async () => {
        if (cutHosts.size) {
          const hosts = [...cutHosts].map((h) => h.name);
          await healHosts(cutHosts);
          run.events?.record('firewall', { action: 'heal', chain: 'per host', detail: `the run's chain flushed on ${hosts.join(', ')}` });
          return;
        }
        return run.network.healPartition();
      },
      addRules: (key, rules) => run.network.addRules(key, rules),
      removeRules: (key) => run.network.removeRules(key),
      ruleCounters: (key) => run.network.ruleCounters(key),
      tcpRetransmits: (uid) => run.network.tcpRetransmits(uid),
      linkFault: (from, to, fault) => run.network.linkFault(from, to, fault),
      linkHeal: (from, to) => run.network.linkHeal(from, to),
    },
  };
}
