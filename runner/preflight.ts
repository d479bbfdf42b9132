// What a plan needs from this machine, checked before any process starts.
import { formatLocation } from '../dsl/location.ts';
import type { Plan } from '../dsl/plan.ts';
import { EnvironmentError } from './errors.ts';
import { faultStep } from './fault-steps.ts';

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
}

/** Derives the start options from the plan and fails (rule + fix + spec line) when the machine cannot run it. */
export function preflight(plan: Plan): PlanNeeds {
  const needs: PlanNeeds = { perNodeUsers: false, proxyClientLinks: false, linkedDependents: new Set(), pdLinked: new Set() };
  for (const step of plan.steps) {
    const link = step.kind === 'link.fault' || step.kind === 'link.heal' || step.kind === 'link.cut' ? step.link : step.kind === 'expect' && step.subject.kind === 'link' ? step.subject.link : undefined;
    if (link?.fromNode?.kind === 'index') needs.pdLinked.add(link.fromNode.cluster);
    else if (link?.from === 'client') needs.proxyClientLinks = true;
    else if (link) needs.linkedDependents.add(link.from);
    const fault = faultStep(step, plan);
    const wants = fault?.fault.needs?.(fault.params as never);
    if (!wants) continue;
    if (wants.unavailable) {
      const where = step.location ? ` (at ${formatLocation(step.location)})` : '';
      throw new EnvironmentError(`"${step.title}" ${wants.unavailable.reason}${where}\n  Fix: ${wants.unavailable.fix}`);
    }
    if (wants.perNodeUsers) needs.perNodeUsers = true;
    if (wants.proxyClientLinks) needs.proxyClientLinks = true;
  }
  return needs;
}
