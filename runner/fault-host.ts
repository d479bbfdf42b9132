// The run as faults see it: node processes, node facts and network mechanisms, nothing else of the run.
import { EnvironmentError } from './process/process-errors.ts';
import type { FaultHost } from './faults/index.ts';
import type { RunNetwork } from './network.ts';
import type { StartedCluster } from './cluster.ts';

/** The parts of a run a fault host is made from. */
export interface FaultHostSource {
  clusterOfNode(name: string): StartedCluster;
  readonly network: RunNetwork;
}

/** Adapts a run to the narrow FaultHost interface of runner/faults/. */
export function faultHost(run: FaultHostSource): FaultHost {
  const c = (name: string) => run.clusterOfNode(name);
  return {
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
      blockInbound: (node, ports, backend) => run.network.blockInbound(node, ports, backend),
      unblockInbound: (node, backend) => run.network.unblockInbound(node, backend),
      partition: (groups) =>
        run.network.partition(
          groups.map((g) =>
            g.map((name) => {
              const spec = c(name).nodeSpec(name);
              if (!spec.user) throw new EnvironmentError(`Cannot partition ${name}: it does not run under its own uid (the plan starts nodes under per-node uids when it partitions).`);
              return { uid: spec.user.uid, ports: Object.values(spec.ports) };
            }),
          ),
        ),
      healPartition: () => run.network.healPartition(),
      addRules: (key, rules) => run.network.addRules(key, rules),
      removeRules: (key) => run.network.removeRules(key),
      ruleCounters: (key) => run.network.ruleCounters(key),
      tcpRetransmits: (uid) => run.network.tcpRetransmits(uid),
      linkFault: (from, to, fault) => run.network.linkFault(from, to, fault),
      linkHeal: (from, to) => run.network.linkHeal(from, to),
    },
  };
}
