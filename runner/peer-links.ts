// Peer links at run time: which clusters need gates, which directed pairs a link names, and the checks before a fault.
import { formatLocation } from '../dsl/location.ts';
import type { LinkRef, Plan, PlanStep } from '../dsl/plan.ts';
import { EnvironmentError, NodeProcessError } from './process/process-errors.ts';
import type { Run } from './run.ts';
import { checkLogPatterns } from './log-times.ts';

/** The link a step names, if any. */
export function linkOf(step: PlanStep): LinkRef | undefined {
  if (step.kind === 'link.fault' || step.kind === 'link.heal' || step.kind === 'link.cut') return step.link;
  return step.kind === 'expect' && step.subject.kind === 'link' ? step.subject.link : undefined;
}

/**
 * Before any process starts: every cluster whose peer links the plan names must have a definition
 * that says how its members address each other, and nodes must run under their own uids (root).
 */
export function checkPeerLinks(plan: Plan, run: Run): void {
  // Leader and retry lines are read from the logs of every cluster: a pattern that does not compile fails now.
  for (const step of plan.steps) {
    if (step.kind !== 'cluster.start') continue;
    const definition = run.definitionFor(step.cluster, step.service);
    checkLogPatterns(definition.name, definition.logs);
  }
  for (const step of plan.steps) {
    const link = linkOf(step);
    if (!link?.peer) continue;
    const where = step.location ? ` (at ${formatLocation(step.location)})` : '';
    const start = plan.steps.find((s) => s.kind === 'cluster.start' && run.keyOf(s.cluster) === run.keyOf(link.peer!.from.cluster));
    const definition = start?.kind === 'cluster.start' ? run.definitionFor(start.cluster, start.service) : run.service;
    if (!definition.peers) {
      throw new EnvironmentError(`"${step.title}" names a peer link, but the ${definition.name} service does not say how its members address each other, so no gate can stand between them.${where}\n  Fix: give the "${definition.name}" definition "peers": { "port": "<its peer port name>" } and advertise that port in its launch ({peers}), or mark scenario "${plan.id}" n/a for ${definition.name}.`);
    }
    // Judged by the servers' own log lines alone: no gate, so no uids; the lines must be readable.
    if (step.kind === 'expect' && (step.args[0] as { view?: string } | undefined)?.view === 'log') {
      if (!definition.logs?.retry) throw new EnvironmentError(`"${step.title}" judges the servers' retries by their own log lines, but the ${definition.name} definition has no "logs.retry" pattern.${where}\n  Fix: give the definition "logs": { "timestamp": …, "retry": "<a regex matching its redial line, with a (?<port>…) group>" }, or judge at the gates (drop view: 'log').`);
      continue;
    }
    if (process.getuid?.() !== 0) {
      throw new EnvironmentError(`"${step.title}" names a peer link: its gate tells members apart by the uid each runs under, and only root starts nodes under their own uids (this process runs as uid ${process.getuid?.()}).${where}\n  Fix: run the scenarios as root, or mark scenario "${plan.id}" SKIP where root is not available.`);
    }
  }
}

/** The directed pairs [from, to] a link names, resolved to node names. */
export async function linkPairs(run: Run, link: LinkRef): Promise<[string, string][]> {
  if (!link.peer?.group) return [[await run.linkFrom(link), await run.resolve(link.to)]];
  const center = await run.resolve(link.peer.from);
  const others = run.clusterOfNode(center).names.filter((n) => n !== center);
  const out = others.map((o): [string, string] => [center, o]);
  const into = others.map((o): [string, string] => [o, center]);
  return link.peer.group === 'out' ? out : link.peer.group === 'in' ? into : [...out, ...into];
}

/** A one-way cut needs both ends running: a stopped member dials nobody and nobody reaches it. */
export function requireRunningEnds(run: Run, pairs: [string, string][], what: string): void {
  for (const name of new Set(pairs.flat())) {
    const cluster = run.clusterOfNode(name);
    if (cluster.state(name) === 'stopped') {
      throw new NodeProcessError(`Cannot ${what}: ${name} is down, so its peer links carry nothing to cut. Cut the link before stopping ${name}, or start() it first.`, { node: name });
    }
  }
}
