// What a plan needs from this machine, checked before any process starts.
import { formatLocation } from '../dsl/location.ts';
import type { Plan } from '../dsl/plan.ts';
import { EnvironmentError } from './process/process-errors.ts';
import { faultStep } from './fault-steps.ts';
import { firewallCapability, type FirewallCapability } from './firewall/index.ts';

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

/**
 * Why this machine lacks what the plan's faults need (root and a working iptables for a partition, or
 * for a block asked `via: 'iptables'`), worded as a skip reason with the fix; undefined when it has it.
 * An environment prerequisite skips the test: it says nothing about the service, so it is never red.
 */
export function environmentShortfall(plan: Plan, capability: () => FirewallCapability = firewallCapability): string | undefined {
  let cap: FirewallCapability | undefined;
  for (const step of plan.steps) {
    const where = step.location ? ` (at ${formatLocation(step.location)})` : '';
    const partition = step.kind === 'partition' || (step.kind === 'net' && step.verb === 'isolate');
    const iptablesBlock = step.kind === 'net' && step.verb === 'block' && step.via === 'iptables';
    if (!partition && !iptablesBlock) continue;
    cap ??= capability();
    if (cap.usable) return undefined;
    const what = partition ? `a true partition, which needs the firewall` : `the firewall, asked explicitly with block({ via: 'iptables' })`;
    const fix = partition ? `run as root with iptables installed (Debian: apt-get install iptables), or mark this service SKIP for scenario "${plan.id}"` : `run as root with iptables installed, or write block() to fall back to the fault proxy`;
    return `needs root and a working iptables: "${step.title}" needs ${what}: ${cap.reason}${where}\n  Fix: ${fix}.`;
  }
  // Any other fault that says what it needs (e.g. loss(), matched by the node's uid).
  for (const step of plan.steps) {
    const fault = faultStep(step, plan);
    const missing = fault?.fault.needs?.(fault.params as never)?.unavailable;
    if (!missing) continue;
    const where = step.location ? ` (at ${formatLocation(step.location)})` : '';
    return `needs what this machine lacks: "${step.title}" ${missing.reason}${where}\n  Fix: ${missing.fix}`;
  }
  return undefined;
}

/** Derives the start options from the plan and fails (rule + fix + spec line) when the machine cannot run it. */
export function preflight(plan: Plan): PlanNeeds {
  const shortfall = environmentShortfall(plan);
  if (shortfall) throw new EnvironmentError(shortfall);
  const needs: PlanNeeds = { perNodeUsers: false, proxyClientLinks: false, linkedDependents: new Set(), pdLinked: new Set(), peerLinked: new Set() };
  for (const step of plan.steps) {
    const link = step.kind === 'link.fault' || step.kind === 'link.heal' || step.kind === 'link.cut' ? step.link : step.kind === 'expect' && step.subject.kind === 'link' ? step.subject.link : undefined;
    // A peer link judged by the servers' own log lines alone needs no gate (and no uids).
    const logOnly = step.kind === 'expect' && (step.args[0] as { view?: string } | undefined)?.view === 'log';
    if (link?.peer && logOnly) continue;
    if (link?.peer) {
      needs.peerLinked.add(link.peer.from.cluster);
      needs.perNodeUsers = true;
    } else if (link?.fromNode?.kind === 'index') needs.pdLinked.add(link.fromNode.cluster);
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
