// What a plan needs from this machine, checked before any process starts.
import { formatLocation } from '../dsl/location.ts';
import type { Plan } from '../dsl/plan.ts';
import { EnvironmentError } from './errors.ts';
import { firewallCapability } from './firewall/index.ts';
import { RunNetwork } from './network.ts';

/** How the cluster must be started for this plan's faults. */
export interface PlanNeeds {
  /** Partitions tell nodes apart by the uid their process runs under. */
  perNodeUsers: boolean;
  /** A block that falls back to the fault proxy, or a client link the plan names, needs the client links proxied from the start. */
  proxyClientLinks: boolean;
  /** Dependent servers whose links to the nodes the plan names: they are pointed at per-node proxies. */
  linkedDependents: Set<string>;
  /** Clusters (plan keys; undefined: the column's) whose nodes' links to their PD the plan names: their {pd} names per-node proxies. */
  pdLinked: Set<string | undefined>;
  /** Clusters (plan keys; undefined: the column's) whose peer links the plan names: gates in front of every member. */
  peerLinked: Set<string | undefined>;
}

/** Derives the start options from the plan and fails (rule + fix + spec line) when the machine cannot run it. */
export function preflight(plan: Plan): PlanNeeds {
  const needs: PlanNeeds = { perNodeUsers: false, proxyClientLinks: false, linkedDependents: new Set(), pdLinked: new Set(), peerLinked: new Set() };
  for (const step of plan.steps) {
    const link = step.kind === 'link.fault' || step.kind === 'link.heal' || step.kind === 'link.cut' ? step.link : step.kind === 'expect' && step.subject.kind === 'link' ? step.subject.link : undefined;
    if (link?.peer) {
      needs.peerLinked.add(link.peer.from.cluster);
      needs.perNodeUsers = true;
    } else if (link?.fromNode?.kind === 'index') needs.pdLinked.add(link.fromNode.cluster);
    else if (link?.from === 'client') needs.proxyClientLinks = true;
    else if (link) needs.linkedDependents.add(link.from);
    const where = step.location ? ` (at ${formatLocation(step.location)})` : '';
    if (step.kind === 'partition' || (step.kind === 'net' && step.verb === 'isolate')) {
      const cap = firewallCapability();
      if (!cap.usable) throw new EnvironmentError(`"${step.title}" needs a true partition, which needs the firewall: ${cap.reason}.${where}\n  Fix: run as root with iptables installed (Debian: apt-get install iptables), or mark this service SKIP for scenario "${plan.id}".`);
      needs.perNodeUsers = true;
    }
    if (step.kind === 'net' && step.verb === 'block') {
      try {
        if (RunNetwork.backend(step.via) === 'proxy') needs.proxyClientLinks = true;
      } catch (e) {
        throw new EnvironmentError(`${(e as Error).message}${where}`);
      }
    }
  }
  return needs;
}
